package dev.safeguards.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.RefreshTokenStore.StoredRefreshToken;
import dev.safeguards.authn.ThrottleStore.Rule;
import dev.safeguards.identity.UserId;
import dev.safeguards.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replicas (separate connections) racing on the same state: each operation is atomic on the server. */
class RedisRacesTest {

  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");

  @TempDir static Path tmp;
  private static RedisServer server;
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private static final List<RedisState> REPLICAS = new ArrayList<>();
  private static ExecutorService threads;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start(tmp);
    for (int i = 0; i < 3; i++) {
      REPLICAS.add(RedisState.builder(server.uri()).keyPrefix("races").clock(CLOCK).connect());
    }
    threads = Executors.newFixedThreadPool(3);
  }

  @AfterAll
  static void stop() {
    threads.shutdownNow();
    REPLICAS.forEach(RedisState::close);
    server.close();
  }

  /** Runs {@code task(replica)} on every replica at once; returns their results. */
  private static <T> List<T> atOnce(java.util.function.Function<RedisState, T> task) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(REPLICAS.size());
    List<Future<T>> futures = new ArrayList<>();
    for (RedisState replica : REPLICAS) {
      Callable<T> c = () -> {
        barrier.await();
        return task.apply(replica);
      };
      futures.add(threads.submit(c));
    }
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.get());
    }
    return results;
  }

  @Test
  void theSameRefreshTokenPresentedOnEveryReplicaAtOnce_isUsedByExactlyOne() throws Exception {
    AccessGrant grant = new AccessGrant(ALICE, Set.of("clinician"), Set.of(), Set.of("pwd"), CLOCK.instant(), "s1",
        Optional.empty());
    for (int round = 0; round < 200; round++) {
      String hash = "race-" + round;
      REPLICAS.get(0).refreshTokens().save(new StoredRefreshToken(hash, "family-" + round, grant,
          CLOCK.instant().plus(Duration.ofDays(1))));

      List<Boolean> won = atOnce(r -> r.refreshTokens().markUsed(hash));

      assertThat(won).as("round %d", round).containsOnlyOnce(true);
    }
  }

  @Test
  void theSameNoncePresentedOnEveryReplicaAtOnce_isFirstUsedByExactlyOne() throws Exception {
    for (int round = 0; round < 200; round++) {
      String nonce = "nonce-" + round;
      List<Boolean> first = atOnce(r -> r.nonces().firstUse("key-1", nonce, CLOCK.instant().plusSeconds(60)));
      assertThat(first).as("round %d", round).containsOnlyOnce(true);
    }
  }

  @Test
  void failuresSpreadOverReplicas_areEachCounted() throws Exception {
    Rule rule = new Rule(3, 10_000, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofMinutes(15),
        Duration.ofDays(1));
    List<Integer> counts = new ArrayList<>();
    for (int round = 0; round < 100; round++) {
      counts.addAll(atOnce(r -> r.throttle().recordFailure("account:mallory", CLOCK.instant(), rule).failures()));
    }
    assertThat(counts).hasSize(300).doesNotHaveDuplicates();
    assertThat(REPLICAS.get(1).throttle().get("account:mallory").orElseThrow().failures()).isEqualTo(300);
  }

  @Test
  void guessesSentToEveryReplicaAtOnce_getNoMoreThanTheRuleAllows() throws Exception {
    Rule rule = new Rule(3, 10, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofMinutes(15),
        Duration.ofDays(1));
    List<Boolean> admitted = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      admitted.addAll(atOnce(r -> r.throttle().admit("account:guessed", CLOCK.instant(), rule).admitted()));
    }
    // The clock stands still: the third failure blocks the account, on every replica, before a fourth is decided.
    assertThat(admitted).hasSize(30);
    assertThat(admitted.stream().filter(a -> a).count()).isEqualTo(3);
  }
}
