package dev.safeguards.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.StateUnavailableException;
import dev.safeguards.session.SessionEndReason;
import dev.safeguards.session.SessionStore.Activity;
import dev.safeguards.session.SessionStore.Touched;
import dev.safeguards.testing.CapturedLogs;
import dev.safeguards.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server stopped, restarted empty, or refusing a password: requests that need the state fail closed within the
 * command timeout, the outage and the recovery are logged once each, the client reconnects by itself, and a session
 * the server forgot ends rather than starts again. No message names the password.
 */
class RedisOutageTest {

  private static final String PASSWORD = "correct-horse-battery-staple-7d1e";

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private RedisServer server;
  private RedisState state;

  @BeforeEach
  void start() throws Exception {
    server = RedisServer.start(tmp, "--requirepass", PASSWORD);
    String uri = server.uri().replace("redis://", "redis://:" + PASSWORD + "@");
    state = RedisState.builder(uri).keyPrefix("outage").commandTimeout(Duration.ofMillis(200))
        .revocationBound(Duration.ofMillis(200)).clock(clock).connect();
    CapturedLogs.clear();
  }

  @AfterEach
  void stop() {
    if (state != null) {
      state.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private Activity request(Instant login) {
    return request("sid:s1", login);
  }

  private Activity request(String key, Instant login) {
    return new Activity(key, login, clock.instant(), Duration.ofMinutes(15), login.plus(Duration.ofHours(8)),
        Duration.ofSeconds(9), false);
  }

  /** Calls until the state answers again (the client reconnects by itself), for at most 30 s. */
  private Touched untilItAnswers(Activity activity) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        return state.sessions().touch(activity);
      } catch (IllegalStateException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }

  @Test
  void serverStopped_failsClosed_loggedOnce_andRestartedEmpty_endsTheSessionsItForgot() throws Exception {
    Instant login = clock.instant();
    assertThat(state.sessions().touch(request(login)).session().ended()).isEmpty();
    clock.advance(Duration.ofMinutes(1));

    server.stop();
    long stopped = System.nanoTime();
    while (true) { // the revocation list answers from memory until the bound since its last confirmation passes
      try {
        state.revocations().isRevoked("sid:s1");
      } catch (StateUnavailableException e) {
        break;
      }
      assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofMillis(200 + 2000));
      Thread.onSpinWait();
    }
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> state.sessions().touch(request(login))).isInstanceOf(StateUnavailableException.class)
          .hasMessageContaining("did not answer").hasMessageNotContaining(PASSWORD);
      assertThatThrownBy(() -> state.revocations().isRevoked("sid:s1"))
          .isInstanceOf(StateUnavailableException.class);
      assertThat(state.nonces().firstUse("k", "n" + i, clock.instant().plusSeconds(60))).as("fail closed").isFalse();
      assertThat(state.totpReplay().acceptOnce("alice", 100 + i)).as("fail closed").isFalse();
    }
    assertThat(CapturedLogs.lines()).filteredOn(l -> l.contains("dev.safeguards.redis.RedisState:")).hasSize(1)
        .allMatch(l -> l.startsWith("ERROR") && !l.contains(PASSWORD));

    server.start(); // empty: it keeps nothing on disk
    Touched after = untilItAnswers(request(login));

    assertThat(after.session().ended()).as("a session from before the loss ends, never starts again")
        .contains(SessionEndReason.STATE_LOST);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (CapturedLogs.lines().stream().noneMatch(l -> l.startsWith("WARN dev.safeguards.redis.RedisState:"))) {
      // logged once it has answered for a second
      assertThat(System.nanoTime()).as("recovery logged").isLessThan(deadline);
      Thread.onSpinWait();
    }
    assertThat(CapturedLogs.lines()).filteredOn(l -> l.contains("dev.safeguards.redis.RedisState:")).hasSize(2)
        .last().asString().startsWith("WARN").contains("answers again");
    Instant later = clock.instant();
    clock.advance(Duration.ofSeconds(1));
    assertThat(state.sessions().touch(request("sid:s2", later)).session().ended())
        .as("a session begun after it goes on").isEmpty();
  }

  @Test
  void aWrongPassword_isRefusedAtConnect_withoutNamingIt() {
    String wrong = server.uri().replace("redis://", "redis://:not-" + PASSWORD + "@");
    assertThatThrownBy(() -> RedisState.builder(wrong).connect()).isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining(PASSWORD);
  }
}
