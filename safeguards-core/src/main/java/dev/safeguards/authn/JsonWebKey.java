package dev.safeguards.authn;

import java.security.Key;
import java.util.Objects;
import java.util.Optional;

/**
 * A key that verifies tokens, read from a JWK (RFC 7517): its {@code kid}, the algorithm it is bound to if the JWK
 * names one, and the key. {@link #toString()} never shows key material.
 */
public final class JsonWebKey {

  private final String keyId;
  private final Optional<JwsAlgorithm> algorithm;
  private final Key key;

  JsonWebKey(String keyId, Optional<JwsAlgorithm> algorithm, Key key) {
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.key = Objects.requireNonNull(key, "key");
  }

  /**
   * The key's {@code kid}.
   *
   * @return the key id, never null
   */
  public String keyId() {
    return keyId;
  }

  /**
   * The algorithm the JWK binds the key to ({@code alg}), if any.
   *
   * @return the algorithm; empty if the JWK names none
   */
  public Optional<JwsAlgorithm> algorithm() {
    return algorithm;
  }

  Key key() {
    return key;
  }

  @Override
  public String toString() {
    return "JsonWebKey[" + keyId + ", " + key.getAlgorithm() + algorithm.map(a -> ", " + a.id()).orElse("") + "]";
  }
}
