package dev.safeguards.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backoff, lockout and recovery per account and per address, on an injected clock; attempts made at once. */
class LoginThrottleTest {

  private MutableClock clock;
  private ThrottleStore store;
  private LoginThrottle throttle;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    store = ThrottleStore.inMemory(1000, clock);
    throttle = LoginThrottle.builder(store).clock(clock).build();
  }

  private boolean attempt(String account, String address) {
    return throttle.attempt(account, address).allowed();
  }

  @Test
  void failures_delayExponentially_fromTheThird_thenLockOut_andRecover() {
    assertThat(attempt("alice", "10.0.0.1")).isTrue();
    assertThat(attempt("alice", "10.0.0.1")).isTrue();

    Duration expected = Duration.ofSeconds(1);
    for (int failure = 3; failure < 10; failure++) {
      assertThat(attempt("alice", "10.0.0.1")).as("attempt %d", failure).isTrue();
      LoginThrottle.Decision d = throttle.attempt("alice", "10.0.0.1");
      assertThat(d.allowed()).as("right after failure %d", failure).isFalse();
      assertThat(d.retryAfter()).contains(clock.instant().plus(expected));
      clock.advance(expected);
      expected = expected.multipliedBy(2);
    }
    assertThat(attempt("alice", "10.0.0.1")).isTrue(); // the 10th: lockout
    assertThat(throttle.attempt("alice", "10.0.0.1").retryAfter())
        .contains(clock.instant().plus(Duration.ofMinutes(15)));
    clock.advance(Duration.ofMinutes(14));
    assertThat(attempt("alice", "10.0.0.1")).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(attempt("alice", "10.0.0.1")).isTrue();
  }

  @Test
  void guessesSentAtOnce_areEachCountedBeforeTheNextIsDecided() throws Exception {
    int guesses = 32;
    CyclicBarrier start = new CyclicBarrier(guesses);
    ExecutorService pool = Executors.newFixedThreadPool(guesses);
    try {
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int i = 0; i < guesses; i++) {
        String address = "192.0.2." + i;
        answers.add(pool.submit(() -> {
          start.await();
          return attempt("alice", address);
        }));
      }
      int admitted = 0;
      for (Future<Boolean> a : answers) {
        admitted += a.get() ? 1 : 0;
      }
      // The clock stands still: the third failure blocks the account, so exactly three guesses get through.
      assertThat(admitted).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void success_clearsTheAccount_andTakesTheAttemptBackFromTheAddress() {
    throttle = LoginThrottle.builder(store).clock(clock).perAddress(3, 5).build();
    assertThat(attempt("alice", "10.0.0.1")).isTrue();
    assertThat(attempt("alice", "10.0.0.1")).isTrue();
    assertThat(attempt("alice", "10.0.0.1")).isTrue(); // the right password at last
    throttle.recordSuccess("alice", "10.0.0.1");

    // Counted as a third failure, the success would have delayed the address.
    assertThat(store.get("address:10.0.0.1").orElseThrow().failures()).isEqualTo(2);
    assertThat(store.get("account:alice")).isEmpty();
    assertThat(attempt("alice", "10.0.0.1")).isTrue(); // the address's third failure now
    assertThat(attempt("alice", "10.0.0.1")).isFalse(); // delayed by the address, not the account (at 1)
  }

  @Test
  void anAttemptTheAccountRefuses_isTakenBackFromTheAddress() {
    for (int i = 0; i < 3; i++) {
      assertThat(attempt("alice", "10.0.0." + i)).isTrue();
    }
    assertThat(attempt("alice", "10.0.0.9")).isFalse();
    assertThat(store.get("address:10.0.0.9")).isEmpty();
  }

  @Test
  void oneAddress_guessingManyAccounts_isThrottledByAddress() {
    for (int i = 0; i < 20; i++) {
      assertThat(attempt("user" + i, "203.0.113.9")).isTrue();
    }
    assertThat(attempt("someone-new", "203.0.113.9")).isFalse();
    assertThat(attempt("someone-new", "198.51.100.1")).isTrue();
  }

  @Test
  void accountNames_areComparedCaseInsensitively_andUnknownAccountsCountAlike() {
    for (int i = 0; i < 3; i++) {
      assertThat(attempt(i % 2 == 0 ? "Alice" : " alice ", "10.0.0." + i)).isTrue();
    }
    assertThat(attempt("ALICE", "10.0.0.99")).isFalse();
    for (int i = 0; i < 3; i++) {
      assertThat(attempt("no-such-user", "10.0.1." + i)).isTrue();
    }
    assertThat(attempt("no-such-user", "10.0.1.99")).isFalse();
  }

  @Test
  void counters_olderThanADay_startAgain() {
    for (int i = 0; i < 9; i++) {
      assertThat(attempt("alice", "10.0.0.1")).isTrue();
      clock.advance(Duration.ofMinutes(15)); // past any delay below the lockout
    }
    clock.advance(Duration.ofDays(1).plusMinutes(1));
    assertThat(attempt("alice", "10.0.0.1")).isTrue();
    assertThat(attempt("alice", "10.0.0.1")).isTrue(); // counting started again at 1
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
