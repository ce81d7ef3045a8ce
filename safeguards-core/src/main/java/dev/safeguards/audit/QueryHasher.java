package dev.safeguards.audit;

import dev.safeguards.crypto.BlindIndex;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a search parameter into a keyed hash for the audit log, so that no search value reaches it (164.312(b)).
 *
 * <p>A hash is a {@link BlindIndex} token under a {@link KeyPurpose#BLIND_INDEX} key, domain-separated by parameter
 * name: equal values of one parameter hash alike, so a reviewer can see that two searches asked for the same SSN, and
 * whoever holds the key can test whether a search asked for a given value. Without the key a hash reveals nothing.
 * Use a keyset of its own for the audit log, not the one that indexes the application's tables, so that reading
 * the log never helps match rows.
 */
public interface QueryHasher {

  /**
   * The keyed hash of {@code value} for parameter {@code name}.
   *
   * @param name the parameter's name, e.g. {@code family}: 1 to 64 visible ASCII characters
   * @param value the parameter's value in the clear (it may be PHI); not null; not kept
   * @return the token {@code bi1:<8 hex digits>:<base64url>}, which {@link AuditEntity} accepts as a query value
   * @throws IllegalArgumentException if the name is not an identifier or the value is empty
   */
  String hash(String name, String value);

  /**
   * A hasher over a {@link KeyPurpose#BLIND_INDEX} keyset; thread-safe.
   *
   * @param keyset a {@link KeyPurpose#BLIND_INDEX} keyset of the audit log's own; not null; its rotations apply at once
   * @return the hasher
   * @throws IllegalArgumentException if the keyset has another purpose
   */
  static QueryHasher create(ManagedKeyset keyset) {
    Objects.requireNonNull(keyset, "keyset");
    if (keyset.purpose() != KeyPurpose.BLIND_INDEX) {
      throw new IllegalArgumentException("a query hasher needs a BLIND_INDEX keyset");
    }
    ConcurrentHashMap<String, BlindIndex> perParameter = new ConcurrentHashMap<>();
    return (name, value) -> {
      AuditValues.identifier("query parameter", name, 64);
      return perParameter.computeIfAbsent(name, n -> BlindIndex.builder(keyset, "audit-query", n).build())
          .token(value);
    };
  }
}
