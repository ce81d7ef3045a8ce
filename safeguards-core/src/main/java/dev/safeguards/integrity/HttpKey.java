package dev.safeguards.integrity;

import java.security.Key;
import java.util.Objects;

/** What {@link HttpSigningKey} and {@link HttpVerificationKey} share: an id, one algorithm, and checked key material. */
abstract class HttpKey {

  private final String keyId;
  private final HttpSignatureAlgorithm algorithm;
  private final Key key;

  HttpKey(String keyId, HttpSignatureAlgorithm algorithm, Key key, boolean signing) {
    Objects.requireNonNull(keyId, "keyId");
    if (keyId.isEmpty() || keyId.length() > 256 || !keyId.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      throw new IllegalArgumentException("a key id has 1 to 256 printable ASCII characters");
    }
    this.keyId = keyId;
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    algorithm.checkKey(Objects.requireNonNull(key, "key"), signing);
    this.key = key;
  }

  /**
   * The key's identifier, the {@code keyid} of its signatures.
   *
   * @return 1 to 256 printable ASCII characters; not secret
   */
  public String keyId() {
    return keyId;
  }

  /**
   * The one algorithm this key is for.
   *
   * @return the algorithm the key was made for; signatures naming another fail with it
   */
  public HttpSignatureAlgorithm algorithm() {
    return algorithm;
  }

  Key key() {
    return key;
  }

  /** Names the key id and algorithm only, never key material. */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + keyId + ", " + algorithm.identifier() + "]";
  }
}
