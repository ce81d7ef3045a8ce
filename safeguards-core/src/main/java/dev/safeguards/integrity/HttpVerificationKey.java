package dev.safeguards.integrity;

import java.security.Key;
import java.security.PublicKey;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key that verifies RFC 9421 signatures, bound to exactly one algorithm: a signature naming another algorithm, or
 * made with another kind of key, never verifies with it. {@link #toString()} names the key id and algorithm only.
 */
public final class HttpVerificationKey extends HttpKey {

  private HttpVerificationKey(String keyId, HttpSignatureAlgorithm algorithm, Key key) {
    super(keyId, algorithm, key, false);
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
    return new HttpVerificationKey(keyId, HttpSignatureAlgorithm.HMAC_SHA256,
        new SecretKeySpec(Arrays.copyOf(secret, secret.length), "HmacSHA256"));
  }
}
