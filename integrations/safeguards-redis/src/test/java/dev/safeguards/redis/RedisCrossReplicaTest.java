package dev.safeguards.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.access.AccessPolicy;
import dev.safeguards.access.AccessRules;
import dev.safeguards.access.EmergencyAccess;
import dev.safeguards.access.EmergencyGrant;
import dev.safeguards.access.EmergencyRequest;
import dev.safeguards.access.Permission;
import dev.safeguards.access.ResourceRef;
import dev.safeguards.alert.InMemoryAlertSink;
import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.AuthenticationException;
import dev.safeguards.authn.RefreshTokens;
import dev.safeguards.conformance.CapturingAuditSink;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import dev.safeguards.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Break-glass and refresh-token rotation across two replicas (separate {@link RedisState}s and safeguard objects)
 * sharing one real Redis server.
 */
class RedisCrossReplicaTest {

  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
  private static final Permission READ = Permission.parse("patient:read");
  private static final ResourceRef P1 = new ResourceRef("Patient", "p-1");

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T03:00:00Z"));
  private RedisServer server;
  private RedisState a;
  private RedisState b;

  @BeforeEach
  void start() throws Exception {
    server = RedisServer.start(tmp);
    a = RedisState.builder(server.uri()).keyPrefix("cross").clock(clock).connect();
    b = RedisState.builder(server.uri()).keyPrefix("cross").clock(clock).connect();
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    server.close();
  }

  private AccessPolicy policy(EmergencyAccess emergency) {
    return AccessPolicy.builder().role("clinician", "patient:read")
        .resourceRule("Patient", AccessRules.deny("not-on-care-team")).emergencyAccess(emergency).build();
  }

  private EmergencyAccess emergency(RedisState state) {
    return EmergencyAccess.builder(clock, new CapturingAuditSink(), new InMemoryAlertSink()).eligibleRoles("nurse")
        .reviewerRoles("privacy-officer").permissions("patient:read").store(state.emergencyGrants()).build();
  }

  @Test
  void aBreakGlassGrantOpenedOnOneReplica_isHonouredOnTheOther_andEndsOnBoth() throws Exception {
    Principal nurse = new Principal(ALICE, Set.of("nurse"), Set.of(), Set.of("pwd", "otp"), clock.instant(),
        Optional.of("s-1"), Optional.empty(), Optional.empty(), clock.instant().plusSeconds(600));
    EmergencyAccess onA = emergency(a);
    AccessPolicy policyA = policy(onA);
    AccessPolicy policyB = policy(emergency(b));
    assertThat(policyB.decide(nurse, READ, P1).permitted()).isFalse();

    EmergencyGrant grant = onA.open(nurse, EmergencyRequest.forResource("p-1",
        "Unresponsive patient brought to ER, no care team reachable").lasting(Duration.ofMinutes(30)));

    assertThat(policyB.decide(nurse, READ, P1).emergencyGrant()).as("honoured on B").hasValue(grant.id());
    clock.advance(Duration.ofMinutes(30));
    assertThat(policyA.decide(nurse, READ, P1).permitted()).as("expired on A").isFalse();
    assertThat(policyB.decide(nurse, READ, P1).permitted()).as("expired on B").isFalse();
  }

  @Test
  void aBreakGlassGrantRevokedOnOneReplica_endsOnTheOther() throws Exception {
    Principal nurse = new Principal(ALICE, Set.of("nurse"), Set.of(), Set.of("pwd", "otp"), clock.instant(),
        Optional.of("s-1"), Optional.empty(), Optional.empty(), clock.instant().plusSeconds(600));
    Principal officer = new Principal(UserId.parse("0193b2c4-7f00-7000-8000-00000000019a"), Set.of("privacy-officer"),
        Set.of(), Set.of("pwd", "otp"), clock.instant(), Optional.of("s-2"), Optional.empty(), Optional.empty(),
        clock.instant().plusSeconds(600));
    EmergencyAccess onA = emergency(a);
    EmergencyGrant grant = onA.open(nurse, EmergencyRequest.forResource("p-1",
        "Unresponsive patient brought to ER, no care team reachable"));
    EmergencyAccess onB = emergency(b);

    onB.revoke(grant.id(), officer);

    assertThat(policy(onA).decide(nurse, READ, P1).permitted()).isFalse();
  }

  @Test
  void theSameRefreshTokenRotatedOnTwoReplicasAtOnce_exactlyOneWins_andTheFamilyIsRevoked() throws Exception {
    RefreshTokens onA = RefreshTokens.create(a.refreshTokens(), a.revocations(), Duration.ofDays(1), clock);
    RefreshTokens onB = RefreshTokens.create(b.refreshTokens(), b.revocations(), Duration.ofDays(1), clock);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 100; round++) {
        String presented = onA.issue(new AccessGrant(ALICE, Set.of("clinician"), Set.of(), Set.of("pwd", "otp"),
            clock.instant(), "s-" + round, Optional.empty())).token();
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Future<Optional<String>>> results = new ArrayList<>();
        for (RefreshTokens replica : List.of(onA, onB)) {
          results.add(threads.submit(() -> {
            barrier.await();
            try {
              return Optional.of(replica.rotate(presented).token());
            } catch (AuthenticationException e) {
              return Optional.<String>empty();
            }
          }));
        }
        List<String> won = new ArrayList<>();
        for (Future<Optional<String>> f : results) {
          f.get().ifPresent(won::add);
        }

        assertThat(won).as("round %d", round).hasSize(1);
        String successor = won.get(0);
        // the loser saw a reuse and revoked the family: the winner's successor is refused too
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(AuthenticationException.class,
            () -> onB.rotate(successor)).reason()).isEqualTo(AuthenticationException.Reason.REVOKED);
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
