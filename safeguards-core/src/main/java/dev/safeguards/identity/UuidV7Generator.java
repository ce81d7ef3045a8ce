package dev.safeguards.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Generates RFC 9562 version 7 UUIDs for event and record ids: a 48-bit Unix timestamp in milliseconds, then random
 * bits from a CSPRNG, so ids sort by creation time and reveal nothing else.
 *
 * <p>Monotonic within one generator: the 12 {@code rand_a} bits are a counter (RFC 9562 section 6.2, method 1) that
 * starts at a random value below 2048 each millisecond and increases for every id of that millisecond. When the
 * clock stands still or steps back, ids keep the last timestamp used and the counter goes on; when the counter runs
 * out, the timestamp is carried forward by one millisecond. Every id is therefore greater than the one before.
 * Thread-safe.
 */
public final class UuidV7Generator {

  private final Clock clock;
  private final SecureRandom random;
  private long lastMillis = -1;
  private int counter;

  private UuidV7Generator(Clock clock, SecureRandom random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * A generator reading time from {@code clock}, with a new {@link SecureRandom}.
   *
   * @param clock the clock the timestamps come from; not null
   * @return a new generator
   * @throws NullPointerException if {@code clock} is null
   */
  public static UuidV7Generator create(Clock clock) {
    return new UuidV7Generator(clock, new SecureRandom());
  }

  /**
   * The next id, greater than every id this generator returned before.
   *
   * @return a new version 7 UUID
   * @throws IllegalArgumentException if the timestamp is before 1970 or does not fit 48 bits (after the year 10889)
   */
  public UUID next() {
    // The random bits are drawn before taking the lock, so that threads do not queue behind the CSPRNG.
    byte[] r = new byte[10];
    random.nextBytes(r);
    long randB = 0;
    for (int i = 0; i < 8; i++) {
      randB = randB << 8 | (r[i] & 0xff);
    }
    int counterStart = ((r[8] & 0xff) << 8 | (r[9] & 0xff)) & 0x7ff; // below 2048
    long millis;
    int seq;
    synchronized (this) {
      long now = clock.millis();
      if (now > lastMillis) {
        lastMillis = now;
        counter = counterStart;
      } else if (counter < 0xfff) {
        counter++;
      } else {
        lastMillis++; // counter exhausted: borrow the next millisecond
        counter = counterStart;
      }
      millis = lastMillis;
      seq = counter;
    }
    return compose(millis, seq, randB);
  }

  /**
   * Lays out a version 7 UUID: {@code unix_ts_ms} (48 bits), version 7, {@code rand_a} (12 bits), variant {@code 10},
   * {@code rand_b} (the low 62 bits of {@code randB}).
   */
  static UUID compose(long unixMillis, int randA, long randB) {
    if (unixMillis < 0 || unixMillis >= 1L << 48) {
      throw new IllegalArgumentException("the timestamp does not fit 48 bits");
    }
    long msb = (unixMillis << 16) | 0x7000L | (randA & 0xfffL);
    long lsb = (randB & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /**
   * The millisecond timestamp of a version 7 UUID.
   *
   * @param uuid a version 7 UUID of the RFC 9562 variant; not null
   * @return its {@code unix_ts_ms}, milliseconds since 1970-01-01T00:00:00Z
   * @throws IllegalArgumentException if it is not a version 7 UUID
   */
  public static long timestampMillis(UUID uuid) {
    if (uuid.version() != 7 || uuid.variant() != 2) {
      throw new IllegalArgumentException("not a version 7 UUID");
    }
    return uuid.getMostSignificantBits() >>> 16;
  }
}
