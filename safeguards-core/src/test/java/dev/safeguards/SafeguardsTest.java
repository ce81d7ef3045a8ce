package dev.safeguards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.access.AccessPolicy;
import dev.safeguards.alert.InMemoryAlertSink;
import dev.safeguards.authn.AuthenticationException;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.conformance.CapturingAuditSink;
import dev.safeguards.gate.Exchange;
import dev.safeguards.gate.Gate;
import dev.safeguards.gate.GateRequest;
import dev.safeguards.http.HttpFields;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SafeguardsTest {

  private final Clock clock = Clock.systemUTC();
  private final CapturingAuditSink audit = new CapturingAuditSink();

  private Safeguards.Builder complete() {
    return Safeguards.builder()
        .tokens(token -> {
          if (token.equals("good")) {
            return new Principal(UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c"), Set.of("r"), Set.of(),
                Set.of("pwd", "otp"), clock.instant(), Optional.of("s-1"), Optional.empty(), Optional.empty(),
                clock.instant().plusSeconds(600));
          }
          throw new AuthenticationException(AuthenticationException.Reason.MALFORMED, "test");
        })
        .sessions(SessionTracker.create(SessionPolicy.DEFAULT, SessionStore.inMemory(10, clock),
            RevocationList.inMemory(10, clock), clock))
        .access(AccessPolicy.builder().role("r", "x:y").build())
        .routes(Routes.of(Route.publicRoute("GET", "/health"), Route.protect("POST", "/x", "x:y")))
        .audit(audit);
  }

  private static Exchange enter(Safeguards s, String method, String path, HttpFields headers) {
    return s.gate().enter(new GateRequest(method, path, true, "203.0.113.5", "h" + path, headers, Optional.empty()),
        new ByteArrayInputStream(new byte[0]));
  }

  @Test
  void build_missingParts_failsNamingThePart() {
    assertThatThrownBy(() -> Safeguards.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("Safeguards needs tokens (a TokenVerifier)");
    assertThatThrownBy(() -> complete().audit(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void alerts_feedAnAnomalyDetectorFromTheAuditStream() {
    InMemoryAlertSink alerts = new InMemoryAlertSink();
    Safeguards s = complete().alerts(alerts).build();

    for (int i = 0; i < 20; i++) {
      enter(s, "POST", "/x", HttpFields.builder().add("Authorization", "Bearer bad").build());
    }
    s.gate().flush();

    assertThat(audit.events()).as("the first refusal, then one summary of the 19 after it").hasSize(2);
    assertThat(audit.events().get(1).repeated().orElseThrow().count()).isEqualTo(19);
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (alerts.alerts().isEmpty() && System.nanoTime() < deadline) { // delivered by the alert thread
      Thread.onSpinWait();
    }
    assertThat(alerts.alerts()).extracting(a -> a.type()).contains("authentication-failure-spike");
  }

  @Test
  void requireContentDigest_refusesABodyWithoutOne() {
    Safeguards s = complete().requireContentDigest().build();
    HttpFields headers = HttpFields.builder().add("Authorization", "Bearer good")
        .add("Content-Type", "application/json").add("Content-Length", "2").build();

    Exchange e = s.gate().enter(new GateRequest("POST", "/x", true, "203.0.113.5", "h/x", headers,
        Optional.empty()), new ByteArrayInputStream("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    assertThat(e.response().orElseThrow().status()).isEqualTo(400);
    assertThat(audit.events()).singleElement().satisfies(ev -> assertThat(ev.type()).isEqualTo("integrity"));
  }

  @Test
  void routesGivenByTheAdapter_rolesAllowedAndDenyAll() {
    Safeguards s = complete().build();
    Routes jaxrs = Routes.of(Route.rolesAllowed("GET", "/a", "r"), Route.rolesAllowed("GET", "/b", "admin"),
        Route.denied("GET", "/c"));
    HttpFields good = HttpFields.builder().add("Authorization", "Bearer good").build();

    Exchange a = s.gate().enter(new GateRequest("GET", "/a", true, "203.0.113.5", "h/a", good, Optional.empty()),
        new ByteArrayInputStream(new byte[0]), jaxrs);
    Exchange b = s.gate().enter(new GateRequest("GET", "/b", true, "203.0.113.5", "h/b", good, Optional.empty()),
        new ByteArrayInputStream(new byte[0]), jaxrs);
    Exchange c = s.gate().enter(new GateRequest("GET", "/c", true, "203.0.113.5", "h/c", good, Optional.empty()),
        new ByteArrayInputStream(new byte[0]), jaxrs);

    assertThat(a.response()).isEmpty();
    assertThat(a.decision().orElseThrow().rule()).isEqualTo("role:r");
    assertThat(b.response().orElseThrow().status()).isEqualTo(403);
    assertThat(c.response().orElseThrow().status()).isEqualTo(403);
    assertThat(audit.events()).extracting(ev -> ev.rule().orElse("")).containsExactly("deny-by-default",
        "route:deny-all");
  }

  @Test
  void publicRoute_withoutCredentials_isAdmitted() {
    Exchange e = enter(complete().build(), "GET", "/health", HttpFields.builder().build());

    assertThat(e.response()).isEmpty();
    assertThat(e.principal()).isEmpty();
    assertThat(e.outcome().headers()).containsKey("Strict-Transport-Security");
  }
}
