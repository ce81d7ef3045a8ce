package dev.safeguards.integrity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the key a signature's {@code keyid} names: the SPI behind {@link HttpMessageVerifier}. Return only keys the
 * application trusts for the request at hand; an unknown key id fails verification.
 */
@FunctionalInterface
public interface HttpVerificationKeys {

  /**
   * The trusted key with this id, if any.
   *
   * @param keyId the {@code keyid} the signature names, as received (untrusted input); not null
   * @return the key; empty if the id is unknown or the key is not trusted for this request
   */
  Optional<HttpVerificationKey> find(String keyId);

  /**
   * A fixed set of keys.
   *
   * @param keys the trusted keys; copied, none null
   * @return a lookup by exact key id
   * @throws NullPointerException if a key is null
   * @throws IllegalArgumentException if two keys share an id
   */
  static HttpVerificationKeys of(HttpVerificationKey... keys) {
    Map<String, HttpVerificationKey> byId = new LinkedHashMap<>();
    for (HttpVerificationKey k : keys) {
      if (byId.put(k.keyId(), k) != null) {
        throw new IllegalArgumentException("two keys share the id " + k.keyId());
      }
    }
    Map<String, HttpVerificationKey> copy = Map.copyOf(byId);
    return keyId -> Optional.ofNullable(copy.get(keyId));
  }
}
