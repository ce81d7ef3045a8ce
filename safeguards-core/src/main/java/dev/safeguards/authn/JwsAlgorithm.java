package dev.safeguards.authn;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The JWS algorithms (RFC 7518, RFC 8037) a token may be signed with, and the key each requires. {@code none} is
 * never one of them.
 */
public enum JwsAlgorithm {
  /** EdDSA over Ed25519 (RFC 8037). */
  EDDSA("EdDSA"),
  /** ECDSA P-256 with SHA-256. */
  ES256("ES256"),
  /** ECDSA P-384 with SHA-384. */
  ES384("ES384"),
  /** ECDSA P-521 with SHA-512. */
  ES512("ES512"),
  /** RSASSA-PSS with SHA-256. */
  PS256("PS256"),
  /** RSASSA-PSS with SHA-384. */
  PS384("PS384"),
  /** RSASSA-PSS with SHA-512. */
  PS512("PS512"),
  /** RSASSA-PKCS1-v1_5 with SHA-256. */
  RS256("RS256"),
  /** RSASSA-PKCS1-v1_5 with SHA-384. */
  RS384("RS384"),
  /** RSASSA-PKCS1-v1_5 with SHA-512. */
  RS512("RS512"),
  /** HMAC with SHA-256: a shared secret of at least 32 bytes; only by explicit opt-in. */
  HS256("HS256"),
  /** HMAC with SHA-384: a shared secret of at least 48 bytes; only by explicit opt-in. */
  HS384("HS384"),
  /** HMAC with SHA-512: a shared secret of at least 64 bytes; only by explicit opt-in. */
  HS512("HS512");

  /** RSA moduli shorter than this are refused. */
  public static final int MIN_RSA_BITS = 2048;

  private final String id;

  JwsAlgorithm(String id) {
    this.id = id;
  }

  /**
   * The {@code alg} header value, e.g. {@code ES256}.
   *
   * @return the value as RFC 7518 and RFC 8037 spell it
   */
  public String id() {
    return id;
  }

  /**
   * The algorithm with this {@code alg} value, if it is one of these.
   *
   * @param id the {@code alg} value, compared exactly (case counts)
   * @return the algorithm; empty for {@code none}, any other value, and null
   */
  public static Optional<JwsAlgorithm> forId(String id) {
    for (JwsAlgorithm a : values()) {
      if (a.id.equals(id)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether this is an HMAC algorithm (a shared secret).
   *
   * @return true for {@code HS256}, {@code HS384} and {@code HS512}
   */
  public boolean isSymmetric() {
    return this == HS256 || this == HS384 || this == HS512;
  }

  /**
   * Why {@code key} cannot verify this algorithm, or empty if it can: the key type must match (no RSA key for an HMAC
   * algorithm, no secret for a signature), RSA moduli have at least 2048 bits, a public exponent above 1 and no ROCA
   * fingerprint, EC keys lie on this algorithm's curve, and HMAC secrets are at least as long as the hash.
   */
  Optional<String> unsuitable(Key key) {
    switch (this) {
      case EDDSA:
        return key instanceof EdECKey ? Optional.empty() : Optional.of("EdDSA needs an Ed25519 or Ed448 public key");
      case ES256:
      case ES384:
      case ES512:
        if (!(key instanceof ECKey ec) || key instanceof SecretKey) {
          return Optional.of(id + " needs an EC public key");
        }
        String curve = this == ES256 ? "secp256r1" : this == ES384 ? "secp384r1" : "secp521r1";
        return onCurve(ec.getParams(), curve) ? Optional.empty() : Optional.of(id + " needs a key on " + curve);
      case HS256:
      case HS384:
      case HS512:
        int min = this == HS256 ? 32 : this == HS384 ? 48 : 64;
        if (!(key instanceof SecretKey) || key.getEncoded() == null || key.getEncoded().length < min) {
          return Optional.of(id + " needs a shared secret of at least " + min + " bytes");
        }
        return Optional.empty();
      default:
        if (!(key instanceof RSAKey rsa) || key instanceof SecretKey) {
          return Optional.of(id + " needs an RSA public key");
        }
        if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
          return Optional.of("RSA keys shorter than 2048 bits are refused");
        }
        if (key instanceof RSAPublicKey pub && (pub.getPublicExponent().bitLength() < 2
            || !pub.getPublicExponent().testBit(0))) {
          return Optional.of("the RSA public exponent must be odd and greater than 1");
        }
        if (RocaCheck.isVulnerable(rsa.getModulus())) {
          return Optional.of("the RSA key has the ROCA fingerprint (CVE-2017-15361)");
        }
        return Optional.empty();
    }
  }

  private static boolean onCurve(ECParameterSpec params, String curve) {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec(curve));
      ECParameterSpec expected = p.getParameterSpec(ECParameterSpec.class);
      return params.getCurve().equals(expected.getCurve()) && params.getGenerator().equals(expected.getGenerator())
          && params.getOrder().equals(expected.getOrder());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
