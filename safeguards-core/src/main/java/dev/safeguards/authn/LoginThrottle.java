package dev.safeguards.authn;

import dev.safeguards.authn.ThrottleStore.Rule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down password and code guessing per account and per source address (164.312(d)): after a few failures each
 * further attempt must wait exponentially longer, and after many the key is locked out for a while.
 *
 * <p>Defaults: per account, a delay from the 3rd consecutive failure (1 s, 2 s, 4 s, ... up to 15 minutes) and a
 * 15-minute lockout at the 10th; per address, the same from the 20th and 100th. Counters older than a day are
 * forgotten.
 *
 * <p><b>Every attempt counts as a failure as it begins.</b> {@link #attempt} admits or refuses an attempt and, if it
 * admits it, counts it against the account and the address in the same atomic step of the store: guesses sent at the
 * same moment, to one node or many, are each counted before the next is decided, so concurrency cannot buy more
 * guesses than the rule allows. A success is reported with {@link #recordSuccess}: it clears the account's counter
 * and takes the attempt back from the address's. A failure needs nothing more.
 *
 * <p><b>Uniform responses:</b> call {@link #attempt} before looking the account up, and treat an unknown account
 * exactly as a wrong password (report nothing), answering both the same way, so that the throttle does not reveal
 * which accounts exist. Thread-safe when the store is.
 */
public final class LoginThrottle {

  private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

  /**
   * The throttle's answer to an attempt.
   *
   * @param allowed whether the attempt may proceed now
   * @param retryAfter when a refused attempt may be made again (for a {@code Retry-After}); empty when allowed
   */
  public record Decision(boolean allowed, Optional<Instant> retryAfter) {
    /**
     * Checks every component.
     *
     * @param allowed whether the attempt may proceed now
     * @param retryAfter when it may be made again; empty when allowed, not null
     * @throws NullPointerException if {@code retryAfter} is null
     */
    public Decision {
      Objects.requireNonNull(retryAfter, "retryAfter");
    }

    static Decision allow() {
      return new Decision(true, Optional.empty());
    }

    static Decision waitUntil(Instant until) {
      return new Decision(false, Optional.of(until));
    }
  }

  /** Failures older than this are forgotten. */
  private static final Duration FORGET_AFTER = Duration.ofDays(1);

  private final ThrottleStore store;
  private final Rule account;
  private final Rule address;
  private final Clock clock;

  private LoginThrottle(Builder b) {
    this.store = b.store;
    this.account = new Rule(b.accountDelayFrom, b.accountLockoutAt, b.baseDelay, b.maxDelay, b.lockout, FORGET_AFTER);
    this.address = new Rule(b.addressDelayFrom, b.addressLockoutAt, b.baseDelay, b.maxDelay, b.lockout, FORGET_AFTER);
    this.clock = b.clock;
  }

  /**
   * Starts configuring a throttle backed by {@code store}.
   *
   * @param store where the failure counters are kept; a shared store for several nodes. Not null
   * @return a new builder, at the defaults above
   * @throws NullPointerException if {@code store} is null
   */
  public static Builder builder(ThrottleStore store) {
    return new Builder(store);
  }

  /**
   * Admits or refuses an attempt for {@code accountName} from {@code sourceAddress} now; an admitted attempt is counted
   * as a failure of both until {@link #recordSuccess} says otherwise. The address is asked first: an attempt the
   * account then refuses is taken back from the address. Reaching a lockout is logged at WARN with the counter's key.
   *
   * @param accountName the account name as the user typed it; compared stripped and in lower case. Not null
   * @param sourceAddress the client's address, as the transport policy established it; not null
   * @return allowed, or refused until the block that refused it ends
   * @throws NullPointerException if an argument is null
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer (refuse the attempt then)
   */
  public Decision attempt(String accountName, String sourceAddress) {
    String accountKey = accountKey(accountName);
    String addressKey = addressKey(sourceAddress);
    Instant now = clock.instant();
    ThrottleStore.Admission byAddress = admit(addressKey, now, address);
    if (!byAddress.admitted()) {
      return Decision.waitUntil(byAddress.counter().blockedUntil());
    }
    ThrottleStore.Admission byAccount = admit(accountKey, now, account);
    if (!byAccount.admitted()) {
      store.forgive(addressKey, address);
      return Decision.waitUntil(byAccount.counter().blockedUntil());
    }
    return Decision.allow();
  }

  /**
   * The attempt {@link #attempt} admitted succeeded: clears the account's failures and takes the attempt back from
   * the address's (its earlier failures stay).
   *
   * @param accountName the account name; not null
   * @param sourceAddress the client's address; not null
   * @throws NullPointerException if an argument is null
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  public void recordSuccess(String accountName, String sourceAddress) {
    String accountKey = accountKey(accountName);
    store.forgive(addressKey(sourceAddress), address);
    store.clear(accountKey);
  }

  private ThrottleStore.Admission admit(String key, Instant now, Rule rule) {
    ThrottleStore.Admission a = store.admit(key, now, rule);
    if (a.admitted() && a.counter().failures() == rule.lockoutAt()) {
      LOG.warn("login throttle: {} locked out after {} consecutive failures", key, a.counter().failures());
    }
    return a;
  }

  private static String accountKey(String accountName) {
    Objects.requireNonNull(accountName, "accountName");
    return "account:" + accountName.strip().toLowerCase(Locale.ROOT);
  }

  private static String addressKey(String sourceAddress) {
    Objects.requireNonNull(sourceAddress, "sourceAddress");
    return "address:" + sourceAddress;
  }

  /** Configures a {@link LoginThrottle}. */
  public static final class Builder {
    private final ThrottleStore store;
    private int accountDelayFrom = 3;
    private int accountLockoutAt = 10;
    private int addressDelayFrom = 20;
    private int addressLockoutAt = 100;
    private Duration baseDelay = Duration.ofSeconds(1);
    private Duration maxDelay = Duration.ofMinutes(15);
    private Duration lockout = Duration.ofMinutes(15);
    private Clock clock = Clock.systemUTC();

    private Builder(ThrottleStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Per-account thresholds: the failure from which attempts are delayed, and the one that locks the account out.
     * Defaults 3 and 10.
     *
     * @param delayFrom the consecutive failure from which each attempt is delayed, at least 1
     * @param lockoutAt the consecutive failure that locks the account out, from {@code delayFrom} to 100
     * @return this builder
     * @throws IllegalArgumentException unless {@code 1 <= delayFrom <= lockoutAt <= 100}
     */
    public Builder perAccount(int delayFrom, int lockoutAt) {
      check(delayFrom, lockoutAt, 100);
      this.accountDelayFrom = delayFrom;
      this.accountLockoutAt = lockoutAt;
      return this;
    }

    /**
     * Per-address thresholds: as {@link #perAccount}, for every attempt from one address. Defaults 20 and 100.
     *
     * @param delayFrom the consecutive failure from which each attempt is delayed, at least 1
     * @param lockoutAt the consecutive failure that locks the address out, from {@code delayFrom} to 10000
     * @return this builder
     * @throws IllegalArgumentException unless {@code 1 <= delayFrom <= lockoutAt <= 10000}
     */
    public Builder perAddress(int delayFrom, int lockoutAt) {
      check(delayFrom, lockoutAt, 10_000);
      this.addressDelayFrom = delayFrom;
      this.addressLockoutAt = lockoutAt;
      return this;
    }

    /**
     * The delay after the first delayed failure, doubled after each further one, up to {@code max}; and the lockout.
     * Defaults 1 second, 15 minutes and 15 minutes; the same for accounts and addresses.
     *
     * @param base the first delay; positive
     * @param max the longest delay; from {@code base} to one day
     * @param lockout how long a locked-out key waits, from one minute to one day; each further failure restarts it
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException unless {@code 0 < base <= max <= 1 day} and {@code 1 minute <= lockout <= 1 day}
     */
    public Builder delays(Duration base, Duration max, Duration lockout) {
      if (base.isNegative() || base.isZero() || base.compareTo(max) > 0 || max.compareTo(Duration.ofDays(1)) > 0
          || lockout.compareTo(Duration.ofMinutes(1)) < 0 || lockout.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("need 0 < base <= max <= 1 day and 1 minute <= lockout <= 1 day");
      }
      this.baseDelay = base;
      this.maxDelay = max;
      this.lockout = lockout;
      return this;
    }

    /**
     * The clock failures are dated and checked by (default: the system UTC clock).
     *
     * @param clock the clock; not null
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the throttle.
     *
     * @return a new throttle over the builder's store
     */
    public LoginThrottle build() {
      return new LoginThrottle(this);
    }

    private static void check(int delayFrom, int lockoutAt, int max) {
      if (delayFrom < 1 || delayFrom > lockoutAt || lockoutAt > max) {
        throw new IllegalArgumentException("need 1 <= delayFrom <= lockoutAt <= " + max);
      }
    }
  }
}
