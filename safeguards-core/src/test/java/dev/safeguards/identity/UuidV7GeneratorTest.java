package dev.safeguards.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.testing.MutableClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7GeneratorTest {

  @Test
  void compose_reproducesTheRfc9562Example() {
    // RFC 9562 Appendix A.6: unix_ts_ms 0x017F22E279B0, rand_a 0xCC3, rand_b 0b01 + 0x8C4DC0C0C07398F.
    UUID uuid = UuidV7Generator.compose(0x017F22E279B0L, 0xCC3, 0x18C4DC0C0C07398FL);

    assertThat(uuid.toString()).isEqualTo("017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.variant()).isEqualTo(2);
    assertThat(UuidV7Generator.timestampMillis(uuid)).isEqualTo(1645557742000L);
    assertThat(Instant.ofEpochMilli(UuidV7Generator.timestampMillis(uuid))).isEqualTo(Instant.parse("2022-02-22T19:22:22Z"));
  }

  @Test
  void next_carriesTheClocksMillisecond_version7_variant10() {
    Instant at = Instant.parse("2026-11-23T10:15:30.123Z");
    UUID uuid = UuidV7Generator.create(Clock.fixed(at, ZoneOffset.UTC)).next();

    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.variant()).isEqualTo(2);
    assertThat(UuidV7Generator.timestampMillis(uuid)).isEqualTo(at.toEpochMilli());
  }

  @Test
  void next_isStrictlyIncreasing_withinOneMillisecond_andPastCounterExhaustion() {
    UuidV7Generator g = UuidV7Generator.create(Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC));
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) { // far more than the 2048..4095 counter values left in one millisecond
      ids.add(g.next());
    }
    for (int i = 1; i < ids.size(); i++) {
      assertThat(compareUnsigned(ids.get(i - 1), ids.get(i))).as("id %d", i).isNegative();
    }
    assertThat(new HashSet<>(ids)).hasSize(ids.size());
    assertThat(UuidV7Generator.timestampMillis(ids.get(ids.size() - 1)))
        .isGreaterThan(UuidV7Generator.timestampMillis(ids.get(0)));
  }

  @Test
  void next_staysIncreasing_whenTheClockStepsBack() {
    MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_800_000_000_000L));
    UuidV7Generator g = UuidV7Generator.create(clock);
    UUID before = g.next();
    clock.advance(java.time.Duration.ofSeconds(-5));
    UUID after = g.next();

    assertThat(compareUnsigned(before, after)).isNegative();
  }

  @Test
  void next_fromManyThreads_givesDistinctIds() throws Exception {
    UuidV7Generator g = UuidV7Generator.create(Clock.systemUTC());
    Set<UUID> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 5000; i++) {
          ids.add(g.next());
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(ids).hasSize(20_000);
  }

  @Test
  void timestampMillis_ofAnotherVersion_isRefused() {
    assertThatThrownBy(() -> UuidV7Generator.timestampMillis(UUID.randomUUID()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static int compareUnsigned(UUID a, UUID b) {
    int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }
}
