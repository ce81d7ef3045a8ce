package dev.safeguards.integrity;

import java.security.Key;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key that verifies RFC 9421 signatures, bound to exactly one algorithm: a signature naming another algorithm, or
 * made with another kind of key, never verifies with it. {@link #toString()} names the key id and algorithm only.
 */
public final class HttpVerificationKey {

  private final String keyId;
  private final HttpSignatureAlgorithm algorithm;
  private final Key key;

  private HttpVerificationKey(String keyId, HttpSignatureAlgorithm algorithm, Key key) {
    this.keyId = checkKeyId(keyId);
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    algorithm.checkKey(Objects.requireNonNull(key, "key"), false);
    this.key = key;
  }

  /**
   * A public key for an asymmetric algorithm.
   *
   * @throws IllegalArgumentException if the key does not suit the algorithm
   */
  public static HttpVerificationKey of(String keyId, HttpSignatureAlgorithm algorithm, PublicKey publicKey) {
    return new HttpVerificationKey(keyId, algorithm, publicKey);
  }

  /**
   * A shared secret for hmac-sha256, at least 32 bytes (the array is copied).
   *
   * @throws IllegalArgumentException if the secret is shorter
   */
  public static HttpVerificationKey hmacSha256(String keyId, byte[] secret) {
    byte[] copy = Arrays.copyOf(secret, secret.length);
    return new HttpVerificationKey(keyId, HttpSignatureAlgorithm.HMAC_SHA256, new SecretKeySpec(copy, "HmacSHA256"));
  }

  /** The key's identifier, matched against {@code keyid}. */
  public String keyId() {
    return keyId;
  }

  /** The one algorithm this key verifies. */
  public HttpSignatureAlgorithm algorithm() {
    return algorithm;
  }

  Key key() {
    return key;
  }

  static String checkKeyId(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    if (keyId.isEmpty() || keyId.length() > 256 || !keyId.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      throw new IllegalArgumentException("a key id has 1 to 256 printable ASCII characters");
    }
    return keyId;
  }

  @Override
  public String toString() {
    return "HttpVerificationKey[" + keyId + ", " + algorithm.identifier() + "]";
  }
}
