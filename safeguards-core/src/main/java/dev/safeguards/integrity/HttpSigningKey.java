package dev.safeguards.integrity;

import java.security.Key;
import java.security.PrivateKey;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key that creates RFC 9421 signatures: its {@code keyid}, its algorithm, and the private key or shared secret.
 * {@link #toString()} names the key id and algorithm only.
 */
public final class HttpSigningKey extends HttpKey {

  private HttpSigningKey(String keyId, HttpSignatureAlgorithm algorithm, Key key) {
    super(keyId, algorithm, key, true);
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
    return new HttpSigningKey(keyId, HttpSignatureAlgorithm.HMAC_SHA256,
        new SecretKeySpec(Arrays.copyOf(secret, secret.length), "HmacSHA256"));
  }
}
