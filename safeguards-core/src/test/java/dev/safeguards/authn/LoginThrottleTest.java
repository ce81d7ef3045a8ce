package dev.safeguards.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backoff, lockout and recovery per account and per address, on an injected clock. */
class LoginThrottleTest {

  private MutableClock clock;
  private LoginThrottle throttle;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    throttle = LoginThrottle.builder(ThrottleStore.inMemory(1000, clock)).clock(clock).build();
  }

  @Test
  void failures_delayExponentially_fromTheThird_thenLockOut_andRecover() {
    throttle.recordFailure("alice", "10.0.0.1");
    throttle.recordFailure("alice", "10.0.0.1");
    assertThat(throttle.check("alice", "10.0.0.1").allowed()).isTrue();

    Duration expected = Duration.ofSeconds(1);
    for (int failure = 3; failure < 10; failure++) {
      throttle.recordFailure("alice", "10.0.0.1");
      LoginThrottle.Decision d = throttle.check("alice", "10.0.0.1");
      assertThat(d.allowed()).as("failure %d", failure).isFalse();
      assertThat(d.retryAfter()).contains(clock.instant().plus(expected));
      clock.advance(expected);
      assertThat(throttle.check("alice", "10.0.0.1").allowed()).isTrue();
      expected = expected.multipliedBy(2);
    }
    throttle.recordFailure("alice", "10.0.0.1"); // the 10th: lockout
    assertThat(throttle.check("alice", "10.0.0.1").retryAfter()).contains(clock.instant().plus(Duration.ofMinutes(15)));
    clock.advance(Duration.ofMinutes(14));
    assertThat(throttle.check("alice", "10.0.0.1").allowed()).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(throttle.check("alice", "10.0.0.1").allowed()).isTrue();
  }

  @Test
  void success_clearsTheAccount_butNotTheAddress() {
    for (int i = 0; i < 5; i++) {
      throttle.recordFailure("alice", "10.0.0.1");
    }
    throttle.recordSuccess("alice", "10.0.0.1");
    assertThat(throttle.check("alice", "10.0.0.2").allowed()).isTrue();
    throttle.recordFailure("alice", "10.0.0.1");
    assertThat(throttle.check("alice", "10.0.0.1").allowed()).isTrue(); // counting starts again at 1
  }

  @Test
  void oneAddress_guessingManyAccounts_isThrottledByAddress() {
    for (int i = 0; i < 20; i++) {
      throttle.recordFailure("user" + i, "203.0.113.9");
    }
    assertThat(throttle.check("someone-new", "203.0.113.9").allowed()).isFalse();
    assertThat(throttle.check("someone-new", "198.51.100.1").allowed()).isTrue();
  }

  @Test
  void accountNames_areComparedCaseInsensitively_andUnknownAccountsCountAlike() {
    for (int i = 0; i < 3; i++) {
      throttle.recordFailure(i % 2 == 0 ? "Alice" : " alice ", "10.0.0." + i);
    }
    assertThat(throttle.check("ALICE", "10.0.0.99").allowed()).isFalse();
    for (int i = 0; i < 3; i++) {
      throttle.recordFailure("no-such-user", "10.0.1." + i);
    }
    assertThat(throttle.check("no-such-user", "10.0.1.99").allowed()).isFalse();
  }

  @Test
  void counters_olderThanADay_startAgain() {
    for (int i = 0; i < 9; i++) {
      throttle.recordFailure("alice", "10.0.0.1");
    }
    clock.advance(Duration.ofDays(1).plusMinutes(1));
    throttle.recordFailure("alice", "10.0.0.1");
    assertThat(throttle.check("alice", "10.0.0.1").allowed()).isTrue();
  }

  @Test
  void builder_refusesNonsense() {
    assertThatThrownBy(() -> LoginThrottle.builder(ThrottleStore.inMemory(1, clock)).perAccount(5, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoginThrottle.builder(ThrottleStore.inMemory(1, clock))
        .delays(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofMinutes(15)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
