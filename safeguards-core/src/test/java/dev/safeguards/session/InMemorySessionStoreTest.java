package dev.safeguards.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The in-memory store's bound of {@code maxSessions} records, under concurrent new sessions. */
class InMemorySessionStoreTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Instant DEADLINE = NOW.plus(Duration.ofHours(8));

  private static SessionStore.Activity activity(String key) {
    return new SessionStore.Activity(key, NOW.minusSeconds(5), NOW, Duration.ofMinutes(15), DEADLINE,
        Duration.ofSeconds(1), false);
  }

  private static SessionStore.Ending ending(String key) {
    return new SessionStore.Ending(key, NOW.minusSeconds(5), NOW, SessionEndReason.LOGGED_OUT, DEADLINE);
  }

  /** One attempt of a thread: a new session begun by a request (even) or ended by a logout (odd). */
  private static boolean create(SessionStore store, String key, int attempt) {
    try {
      if (attempt % 2 == 0) {
        store.touch(activity(key));
      } else {
        store.end(ending(key));
      }
      return true;
    } catch (IllegalStateException e) {
      assertThat(e).hasMessageContaining("full of live sessions");
      return false;
    }
  }

  @Test
  void touchAndEnd_manyThreadsCreatingSessionsAtOnce_neverHoldMoreThanMaxSessions() throws Exception {
    int capacity = 4;
    int threads = 8;
    int attemptsPerThread = 3;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 2_000; round++) {
        SessionStore store = SessionStore.inMemory(capacity, CLOCK);
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String prefix = "sid:" + round + "-" + t + "-";
          results.add(pool.submit(() -> {
            List<String> created = new ArrayList<>();
            start.await(30, TimeUnit.SECONDS);
            for (int i = 0; i < attemptsPerThread; i++) {
              if (create(store, prefix + i, i)) {
                created.add(prefix + i);
              }
            }
            return created;
          }));
        }
        Set<String> created = new HashSet<>();
        for (Future<List<String>> f : results) {
          created.addAll(f.get(30, TimeUnit.SECONDS));
        }

        // Every record is live (retained until DEADLINE), so none can make room: exactly maxSessions got in, and
        // every other new session was refused as documented.
        assertThat(created).as("round %d", round).hasSize(capacity);
        for (String key : created) {
          assertThat(store.touch(activity(key)).session().key()).isEqualTo(key);
        }
        assertThatThrownBy(() -> store.touch(activity("sid:late"))).isInstanceOf(IllegalStateException.class);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void touch_whenFull_makesRoomOnlyFromRecordsPastTheirRetention() {
    SessionStore store = SessionStore.inMemory(2, CLOCK);
    store.touch(new SessionStore.Activity("sid:old", NOW.minusSeconds(60), NOW.minusSeconds(30),
        Duration.ofMinutes(15), NOW, Duration.ofSeconds(1), false));
    store.touch(activity("sid:live"));

    assertThat(store.touch(activity("sid:new")).session().key()).isEqualTo("sid:new");
    assertThatThrownBy(() -> store.end(ending("sid:another"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("full of live sessions");
    assertThat(store.touch(activity("sid:live")).endedNow()).isFalse();
  }
}
