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
   * @param keyId the {@code keyid} its signatures carry: 1 to 256 printable ASCII characters (spaces allowed)
   * @param algorithm the one algorithm it signs with; not {@link HttpSignatureAlgorithm#RSA_V1_5_SHA256}
   * @param privateKey an Ed25519, P-256 or RSA (at least 2048 bits) private key, as {@code algorithm} needs
   * @return the signing key
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the key id is not allowed, the key does not suit the algorithm, or the
   *     algorithm verifies only
   */
  public static HttpSigningKey of(String keyId, HttpSignatureAlgorithm algorithm, PrivateKey privateKey) {
    return new HttpSigningKey(keyId, algorithm, privateKey);
  }

  /**
   * A shared secret for hmac-sha256, at least 32 bytes (the array is copied).
   *
   * @param keyId the {@code keyid} its signatures carry: 1 to 256 printable ASCII characters (spaces allowed)
   * @param secret the shared secret, at least 32 bytes; copied, so the caller may overwrite its array
   * @return the signing key
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the key id is not allowed or the secret is shorter
   */
  public static HttpSigningKey hmacSha256(String keyId, byte[] secret) {
    return new HttpSigningKey(keyId, HttpSignatureAlgorithm.HMAC_SHA256,
        new SecretKeySpec(Arrays.copyOf(secret, secret.length), "HmacSHA256"));
  }
}
