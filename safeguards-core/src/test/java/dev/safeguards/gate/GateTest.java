package dev.safeguards.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditOutcome;
import dev.safeguards.authn.AuthenticationException;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.conformance.CapturingAuditSink;
import dev.safeguards.http.HttpFields;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import dev.safeguards.testing.MutableClock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The gate's steps, their order, and that no request escapes its one audit event (164.312(b)). */
class GateTest {

  private static final String PATIENT = "0193b2c4-7f00-7000-8000-000000000001";
  private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-12-05T10:00:00Z"));
  private java.time.Duration window = java.time.Duration.ofSeconds(10);
  private final CapturingAuditSink audit = new CapturingAuditSink();
  private final AtomicBoolean storeFails = new AtomicBoolean();
  private final AtomicBoolean storeUnreachable = new AtomicBoolean();
  private dev.safeguards.alert.InMemoryAlertSink alerts;

  private Safeguards safeguards() {
    SessionStore memory = SessionStore.inMemory(10, clock);
    SessionStore store = new SessionStore() {
      @Override
      public Touched touch(Activity activity) {
        failIfAsked();
        return memory.touch(activity);
      }

      @Override
      public SessionRecord end(Ending ending) {
        failIfAsked();
        return memory.end(ending);
      }

      private void failIfAsked() {
        if (storeUnreachable.get()) {
          throw new dev.safeguards.StateUnavailableException("the session store did not answer");
        }
        if (storeFails.get()) {
          throw new IllegalStateException("the session store is full");
        }
      }
    };
    Safeguards.Builder builder = Safeguards.builder()
        .tokens(token -> {
          if (token.equals("good")) {
            return new Principal(UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c"), Set.of("r"), Set.of(),
                Set.of("pwd", "otp"), clock.instant(), Optional.of("s-1"), Optional.empty(), Optional.empty(),
                clock.instant().plusSeconds(600));
          }
          throw new AuthenticationException(AuthenticationException.Reason.MALFORMED, "test");
        })
        .sessions(SessionTracker.create(SessionPolicy.DEFAULT, store, RevocationList.inMemory(10, clock), clock))
        .access(AccessPolicy.builder().role("r", "patient:read", "x:y").build())
        .routes(Routes.of(Route.publicRoute("GET", "/health"), Route.protect("POST", "/x", "x:y"),
            Route.protect("GET", "/patients/{id:uuid}", "patient:read").withResource("Patient", "id"),
            Route.protect("GET", "/admin", "admin:all"), Route.logout("POST", "/logout")))
        .audit(audit)
        .clock(clock)
        .anonymousRefusalWindow(window);
    if (alerts != null) {
      builder.alerts(alerts);
    }
    return builder.build();
  }

  private static GateRequest request(String method, String path, HttpFields headers) {
    return request(method, path, headers, "203.0.113.5");
  }

  private static GateRequest request(String method, String path, HttpFields headers, String peer) {
    return new GateRequest(method, path, true, peer, "h" + path, headers, Optional.empty());
  }

  private static HttpFields authorized() {
    return HttpFields.builder().add("Authorization", "Bearer good").build();
  }

  private Exchange enter(Gate gate, String method, String path, HttpFields headers) {
    return gate.enter(request(method, path, headers), new ByteArrayInputStream(new byte[0]));
  }

  private AuditEvent theEvent() {
    List<AuditEvent> events = audit.events();
    assertThat(events).as("exactly one audit event").hasSize(1);
    return events.get(0);
  }

  @Test
  void steps_runInTheDocumentedOrder() {
    assertThat(safeguards().gate().stepNames()).containsExactly("TransportStep", "AuditAvailableStep",
        "RequestLineStep", "RouteStep", "AuthenticationStep", "AuthorizationStep", "BodyStep", "SignatureStep");
  }

  @Test
  void enter_allowed_proceedsWithTheTransportHeaders() {
    Exchange x = enter(safeguards().gate(), "GET", "/patients/" + PATIENT, authorized());

    assertThat(x.outcome()).isInstanceOf(Outcome.Proceed.class);
    assertThat(x.outcome().headers()).containsKeys("Strict-Transport-Security", "X-Content-Type-Options",
        "Cache-Control");
    assertThat(audit.events()).as("audited at exit").isEmpty();
  }

  @Test
  void enter_auditSinkUnavailable_is503BeforeAnyOtherStep() {
    audit.unavailable(true);

    Exchange x = enter(safeguards().gate(), "POST", "/x", authorized());

    Outcome.Respond r = x.response().orElseThrow();
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.rule()).isEqualTo("audit:unavailable");
    assertThat(r.headers()).containsKeys("Retry-After", "Strict-Transport-Security")
        .containsEntry("Content-Type", "application/problem+json");
    assertThat(x.principal()).as("the token was not even looked at").isEmpty();
  }

  @Test
  void enter_auditSinkUnavailable_withAlertsWatchingTheAuditStream_isStill503BeforeTheApplicationActs() {
    alerts = new dev.safeguards.alert.InMemoryAlertSink();
    audit.unavailable(true);

    Exchange x = enter(safeguards().gate(), "POST", "/x", authorized());

    assertThat(x.response().orElseThrow().status()).isEqualTo(503);
    assertThat(x.response().orElseThrow().rule()).isEqualTo("audit:unavailable");
  }

  @Test
  void enter_auditSinkBackAfterAnOutage_proceedsAgain() {
    Gate gate = safeguards().gate();
    audit.unavailable(true);
    enter(gate, "POST", "/x", authorized());
    audit.unavailable(false);

    assertThat(enter(gate, "POST", "/x", authorized()).outcome()).isInstanceOf(Outcome.Proceed.class);
  }

  @Test
  void enter_overlongMethod_is400AndAuditedWithoutTheMethod() {
    Exchange x = enter(safeguards().gate(), "X".repeat(300), "/x", authorized());

    assertThat(x.response().orElseThrow().status()).isEqualTo(400);
    AuditEvent e = theEvent();
    assertThat(e.rule()).hasValue("input:method");
    assertThat(e.subtype()).hasValue("invalid-method:unmatched");
  }

  @Test
  void enter_headerFieldTheContainerPassedMalformed_is400AndAudited() {
    HttpFields headers = HttpFields.builder().add("Authorization", "Bearer good").received("X-Bad", "a\r\nb")
        .received("bad name", "x").build();

    Exchange x = enter(safeguards().gate(), "POST", "/x", headers);

    assertThat(headers.malformed()).isTrue();
    assertThat(x.response().orElseThrow().status()).isEqualTo(400);
    assertThat(theEvent().rule()).hasValue("input:header");
  }

  @Test
  void enter_safeguardThrows_is500AuditedAndTheApplicationDoesNotRun() {
    storeFails.set(true);

    Exchange x = enter(safeguards().gate(), "POST", "/x", authorized());

    Outcome.Respond r = x.response().orElseThrow();
    assertThat(r.status()).isEqualTo(500);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("session store");
    AuditEvent e = theEvent();
    assertThat(e.rule()).hasValue("gate:error");
    assertThat(e.outcome()).isEqualTo(AuditOutcome.SERIOUS_FAILURE);
    assertThat(e.actor().user()).as("the caller was authenticated before the store failed").isPresent();
  }

  @Test
  void enter_stateStoreUnreachable_isRefused503_auditedWithTheCaller_andNotLoggedPerRequest() {
    storeUnreachable.set(true);
    dev.safeguards.testing.CapturedLogs.clear();

    Exchange x = enter(safeguards().gate(), "POST", "/x", authorized());

    Outcome.Respond r = x.response().orElseThrow();
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.headers()).containsEntry("Retry-After", "5");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("session store");
    AuditEvent e = theEvent();
    assertThat(e.rule()).hasValue("state:unavailable");
    assertThat(e.actor().user()).isPresent();
    assertThat(dev.safeguards.testing.CapturedLogs.lines()).noneMatch(l -> l.contains("dev.safeguards.gate.Gate"));
  }

  @Test
  void enter_upperCaseUuid_isDecidedAndAuditedLowerCase() {
    Gate gate = safeguards().gate();
    Exchange x = enter(gate, "GET", "/patients/" + PATIENT.toUpperCase(java.util.Locale.ROOT), authorized());

    assertThat(x.pathParameters()).containsEntry("id", PATIENT);
    assertThat(x.decision().orElseThrow().resource().orElseThrow().id()).isEqualTo(PATIENT);
    assertThat(gate.exit(x, 200, false, new byte[0])).isInstanceOf(Outcome.Proceed.class);
    assertThat(theEvent().entities()).singleElement().satisfies(e -> assertThat(e.id()).isEqualTo(PATIENT));
  }

  @Test
  void enter_logout_isA204WithoutBody_andAudited() {
    Exchange x = enter(safeguards().gate(), "POST", "/logout", authorized());

    Outcome.Respond r = x.response().orElseThrow();
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers()).doesNotContainKey("Content-Type");
    assertThat(theEvent().rule()).hasValue("session:logout");
  }

  @Test
  void exit_applicationError_isA500ProblemAndAudited() {
    Gate gate = safeguards().gate();
    Exchange x = enter(gate, "POST", "/x", authorized());

    Outcome out = gate.exit(x, 500, true, null);

    assertThat(out).isInstanceOfSatisfying(Outcome.Respond.class, r -> {
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.headers()).containsEntry("Content-Type", "application/problem+json")
          .containsKey("Strict-Transport-Security");
    });
    assertThat(theEvent().rule()).hasValue("application:error");
  }

  @Test
  void exit_eventCannotBeRecorded_is503() {
    Gate gate = safeguards().gate();
    Exchange x = enter(gate, "POST", "/x", authorized());
    audit.unavailable(true);

    Outcome out = gate.exit(x, 201, false, new byte[0]);

    assertThat(out).isInstanceOfSatisfying(Outcome.Respond.class, r -> {
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.rule()).isEqualTo("audit:failed");
    });
  }

  @Test
  void requestAudit_namesJoinTheEvent_andAreRefusedOnceItIsWritten() {
    Gate gate = safeguards().gate();
    Exchange x = enter(gate, "POST", "/x", authorized());
    x.audit().action(dev.safeguards.audit.AuditAction.SEARCH).entity("Patient", "p-1").entity("Patient", "p-2")
        .entity("Patient", "p-1");

    gate.exit(x, 200, false, new byte[0]);

    AuditEvent e = theEvent();
    assertThat(e.action()).isEqualTo(dev.safeguards.audit.AuditAction.SEARCH);
    assertThat(e.entities()).extracting(a -> a.id()).containsExactly("p-1", "p-2");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> x.audit().entity("Patient", "p-3"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void requestAudit_badOrTooManyNames_failTheApplicationsCall() {
    Exchange x = enter(safeguards().gate(), "POST", "/x", authorized());

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> x.audit().entity("Patient", "Jane Roe"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("Jane");
    for (int i = 0; i < RequestAudit.MAX_ENTITIES; i++) {
      x.audit().entity("Patient", "p-" + i);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> x.audit().entity("Patient", "one-more"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anonymousFlood_isTheFirstRefusalThenOneCountedSummary() {
    Gate gate = safeguards().gate();
    java.time.Instant start = clock.instant();
    for (int i = 0; i < 1000; i++) {
      Exchange x = enter(gate, "POST", "/x", HttpFields.builder().build());
      assertThat(x.response().orElseThrow().status()).isEqualTo(401);
      clock.advance(java.time.Duration.ofMillis(5));
    }
    assertThat(audit.events()).as("only the first is recorded at once").hasSize(1);

    clock.advance(java.time.Duration.ofSeconds(10));
    enter(gate, "GET", "/health", HttpFields.builder().build());

    List<AuditEvent> events = audit.events();
    assertThat(events).hasSize(2);
    AuditEvent summary = events.get(1);
    assertThat(summary.repeated().orElseThrow().count()).isEqualTo(999);
    assertThat(summary.repeated().get().from()).isEqualTo(start.plusMillis(5));
    assertThat(summary.repeated().get().until()).isEqualTo(start.plusMillis(5 * 999));
    assertThat(summary.rule()).hasValue("authn:missing");
    assertThat(summary.subtype()).hasValue("POST:/x");
    assertThat(summary.actor().sourceAddress()).hasValue("203.0.113.5");
  }

  @Test
  void anonymousRefusals_fromAnotherSourceOrRoute_andAuthenticatedRefusals_areEachRecorded() {
    Gate gate = safeguards().gate();
    gate.enter(request("POST", "/x", HttpFields.builder().build(), "203.0.113.5"), new ByteArrayInputStream(new byte[0]));
    gate.enter(request("POST", "/x", HttpFields.builder().build(), "203.0.113.6"), new ByteArrayInputStream(new byte[0]));
    gate.enter(request("GET", "/nowhere", HttpFields.builder().build(), "203.0.113.5"),
        new ByteArrayInputStream(new byte[0]));
    for (int i = 0; i < 3; i++) {
      enter(gate, "GET", "/admin", authorized());
      enter(gate, "DELETE", "/x", authorized()); // 405 before authentication: anonymous, counted
    }

    assertThat(audit.events()).extracting(e -> e.rule().orElseThrow()).containsExactly("authn:missing",
        "authn:missing", "route:unknown", "deny-by-default", "route:method", "deny-by-default", "deny-by-default");
  }

  @Test
  void summaryThatCannotBeRecorded_isKeptAndRecordedLater() {
    Gate gate = safeguards().gate();
    for (int i = 0; i < 5; i++) {
      enter(gate, "POST", "/x", HttpFields.builder().build());
    }
    audit.unavailable(true);
    gate.flush();
    audit.unavailable(false);
    assertThat(audit.events()).hasSize(1);

    gate.flush();

    assertThat(audit.events()).hasSize(2);
    assertThat(audit.events().get(1).repeated().orElseThrow().count()).isEqualTo(4);
  }

  @Test
  void zeroWindow_recordsEveryRefusal() {
    window = java.time.Duration.ZERO;
    Gate gate = safeguards().gate();
    for (int i = 0; i < 5; i++) {
      enter(gate, "POST", "/x", HttpFields.builder().build());
    }

    assertThat(audit.events()).hasSize(5);
  }
}
