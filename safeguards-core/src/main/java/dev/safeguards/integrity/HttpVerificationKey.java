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
   * @param keyId the {@code keyid} that signatures name it by: 1 to 256 printable ASCII characters (spaces allowed)
   * @param algorithm the one algorithm it verifies
   * @param publicKey an Ed25519, P-256 or RSA (at least 2048 bits) public key, as {@code algorithm} needs
   * @return the verification key
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the key id is not allowed or the key does not suit the algorithm
   */
  public static HttpVerificationKey of(String keyId, HttpSignatureAlgorithm algorithm, PublicKey publicKey) {
    return new HttpVerificationKey(keyId, algorithm, publicKey);
  }

  /**
   * A shared secret for hmac-sha256, at least 32 bytes (the array is copied). Signatures are compared with it in
   * constant time.
   *
   * @param keyId the {@code keyid} that signatures name it by: 1 to 256 printable ASCII characters (spaces allowed)
   * @param secret the shared secret, at least 32 bytes; copied, so the caller may overwrite its array
   * @return the verification key
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the key id is not allowed or the secret is shorter
   */
  public static HttpVerificationKey hmacSha256(String keyId, byte[] secret) {
    return new HttpVerificationKey(keyId, HttpSignatureAlgorithm.HMAC_SHA256,
        new SecretKeySpec(Arrays.copyOf(secret, secret.length), "HmacSHA256"));
  }
}
