package dev.safeguards.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.StateUnavailableException;
import dev.safeguards.session.SessionStore.Activity;
import dev.safeguards.session.SessionStore.Touched;
import dev.safeguards.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through a {@code redis-sentinel://} URI: the state is found on the primary the Sentinel names, and after that
 * primary is killed and the Sentinel promotes its replica, requests fail closed meanwhile and then go on, unattended,
 * with everything the replica had received (a session, a revocation).
 */
class RedisSentinelTest {

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

  @Test
  void aFailover_failsClosedMeanwhile_thenGoesOnWithWhatWasReplicated() throws Exception {
    try (RedisServer primary = RedisServer.start(Files.createDirectories(tmp.resolve("primary")));
        RedisServer replica = RedisServer.start(Files.createDirectories(tmp.resolve("replica")), "--replicaof",
            "127.0.0.1", Integer.toString(primary.port()));
        RedisServer sentinel = RedisServer.sentinel(Files.createDirectories(tmp.resolve("sentinel")), "clinic",
            primary.port());
        RedisState state = RedisState.builder("redis-sentinel://127.0.0.1:" + sentinel.port() + "#clinic")
            .keyPrefix("sentinel").clock(clock).connect()) {
      assertThat(state.endpoint()).isEqualTo("sentinel clinic");
      RedisStoresContract.useEveryStore(state, clock.instant()); // session sid:s1, revoked jti:j1, ...
      Instant login = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      long replicas = primary.command(c -> c.waitForReplication(1, 5000));
      assertThat(replicas).as("on the replica").isEqualTo(1);

      primary.kill();
      clock.advance(Duration.ofSeconds(10)); // past what the replica may answer without a round trip
      Activity request = new Activity("sid:s1", login, clock.instant(), Duration.ofMinutes(15),
          login.plus(Duration.ofHours(1)), Duration.ofSeconds(9), false);
      assertThatThrownBy(() -> state.sessions().touch(request)).isInstanceOf(StateUnavailableException.class);

      long killed = System.nanoTime();
      Touched after = untilItAnswers(() -> state.sessions().touch(request), killed);
      System.out.printf("failover: answering again %d ms after the primary was killed%n",
          Duration.ofNanos(System.nanoTime() - killed).toMillis());
      assertThat(after.session().ended()).as("the session was replicated: it goes on").isEmpty();
      assertThat(untilItAnswers(() -> state.revocations().isRevoked("jti:j1"), killed))
          .as("so was the revocation").isTrue();
      String role = replica.command(c -> c.info("replication"));
      assertThat(role).as("the replica was promoted").contains("role:master");
    }
  }

  /** Asks until the store answers: each attempt waits for the client's reconnection or fails at once. */
  private static <T> T untilItAnswers(Supplier<T> question, long since) {
    while (true) {
      assertThat(Duration.ofNanos(System.nanoTime() - since)).as("recovered").isLessThan(Duration.ofSeconds(60));
      try {
        return question.get();
      } catch (StateUnavailableException e) {
        Thread.onSpinWait();
      }
    }
  }
}
