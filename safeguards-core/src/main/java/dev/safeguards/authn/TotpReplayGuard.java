package dev.safeguards.authn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the last time step each account's one-time code was accepted at, so that a code (or an older one) is
 * accepted only once: the SPI behind {@link TotpVerifier}'s replay protection. A cluster backs it with a shared store.
 */
@FunctionalInterface
public interface TotpReplayGuard {

  /** Atomically accepts {@code step} for {@code account} if it is later than every step accepted before. */
  boolean acceptOnce(String account, long step);

  /** An in-process guard for at most {@code maxAccounts} accounts (the least recently used are forgotten). */
  static TotpReplayGuard inMemory(int maxAccounts) {
    if (maxAccounts < 1) {
      throw new IllegalArgumentException("maxAccounts must be positive");
    }
    Map<String, Long> last = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > maxAccounts;
      }
    };
    return (account, step) -> {
      synchronized (last) {
        Long previous = last.get(account);
        if (previous != null && step <= previous) {
          return false;
        }
        last.put(account, step);
        return true;
      }
    };
  }
}
