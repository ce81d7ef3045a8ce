package dev.safeguards.authn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the last time step each account's one-time code was accepted at, so that a code (or an older one) is
 * accepted only once: the SPI behind {@link TotpVerifier}'s replay protection. A cluster backs it with a shared store.
 */
@FunctionalInterface
public interface TotpReplayGuard {

  /**
   * Atomically accepts {@code step} for {@code account} if it is later than every step accepted before.
   *
   * @param account the account the code belongs to, as {@link TotpVerifier#verify} was given it
   * @param step the time step the code matched (Unix time divided by the step length)
   * @return true if accepted (and remembered); false if a step at or after it was accepted before
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  boolean acceptOnce(String account, long step);

  /**
   * An in-process guard for at most {@code maxAccounts} accounts (the least recently used are forgotten, and a
   * forgotten account's last code could be accepted once more within its window).
   *
   * @param maxAccounts the most accounts remembered, at least 1
   * @return a new, thread-safe guard
   * @throws IllegalArgumentException if {@code maxAccounts} is below 1
   */
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
