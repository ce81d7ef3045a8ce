package dev.safeguards.integrity;

import java.security.Key;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key that creates RFC 9421 signatures: its {@code keyid}, its algorithm, and the private key or shared secret.
 * {@link #toString()} names the key id and algorithm only.
 */
public final class HttpSigningKey {

  private final String keyId;
  private final HttpSignatureAlgorithm algorithm;
  private final Key key;

  private HttpSigningKey(String keyId, HttpSignatureAlgorithm algorithm, Key key) {
    this.keyId = HttpVerificationKey.checkKeyId(keyId);
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    algorithm.checkKey(Objects.requireNonNull(key, "key"), true);
    this.key = key;
  }

  /**
   * A private key for an asymmetric algorithm.
   *
   * @throws IllegalArgumentException if the key does not suit the algorithm, or the algorithm verifies only
   */
  public static HttpSigningKey of(String keyId, HttpSignatureAlgorithm algorithm, PrivateKey privateKey) {
    return new HttpSigningKey(keyId, algorithm, privateKey);
  }

  /**
   * A shared secret for hmac-sha256, at least 32 bytes (the array is copied).
   *
   * @throws IllegalArgumentException if the secret is shorter
   */
  public static HttpSigningKey hmacSha256(String keyId, byte[] secret) {
    byte[] copy = Arrays.copyOf(secret, secret.length);
    return new HttpSigningKey(keyId, HttpSignatureAlgorithm.HMAC_SHA256, new SecretKeySpec(copy, "HmacSHA256"));
  }

  /** The key's identifier, sent as {@code keyid}. */
  public String keyId() {
    return keyId;
  }

  /** The key's algorithm. */
  public HttpSignatureAlgorithm algorithm() {
    return algorithm;
  }

  Key key() {
    return key;
  }

  @Override
  public String toString() {
    return "HttpSigningKey[" + keyId + ", " + algorithm.identifier() + "]";
  }
}
