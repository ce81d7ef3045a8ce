package dev.safeguards.integrity;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The RFC 9421 signature algorithms Safeguards implements, all through the JDK's providers.
 *
 * <p>{@link #RSA_V1_5_SHA256} verifies only: new signatures use one of the others. RSA keys must have at least 2048
 * bits, HMAC secrets at least 256 bits, and ECDSA keys must be on P-256; other keys are refused when a key is made.
 */
public enum HttpSignatureAlgorithm {
  /** HMAC using SHA-256, a shared secret of at least 32 bytes. */
  HMAC_SHA256("hmac-sha256"),
  /** EdDSA over Curve25519 (RFC 8032). */
  ED25519("ed25519"),
  /** ECDSA over P-256 with SHA-256, signatures as the 64-byte r||s. */
  ECDSA_P256_SHA256("ecdsa-p256-sha256"),
  /** RSASSA-PSS with SHA-512, MGF1 with SHA-512 and a 64-byte salt. */
  RSA_PSS_SHA512("rsa-pss-sha512"),
  /** RSASSA-PKCS1-v1_5 with SHA-256; for verifying peers that still use it. */
  RSA_V1_5_SHA256("rsa-v1_5-sha256");

  private static final int MIN_RSA_BITS = 2048;
  private static final int MIN_HMAC_BYTES = 32;

  private final String identifier;

  HttpSignatureAlgorithm(String identifier) {
    this.identifier = identifier;
  }

  /**
   * The identifier used in the {@code alg} parameter, e.g. {@code ed25519}.
   *
   * @return the algorithm's name in the RFC 9421 registry
   */
  public String identifier() {
    return identifier;
  }

  /**
   * The algorithm named {@code identifier} in the RFC 9421 registry, if implemented.
   *
   * @param identifier a registry name, compared exactly (case included); may be null
   * @return the algorithm; empty for an unknown, unimplemented or null name
   */
  public static Optional<HttpSignatureAlgorithm> forIdentifier(String identifier) {
    for (HttpSignatureAlgorithm a : values()) {
      if (a.identifier.equals(identifier)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether new signatures may use this algorithm.
   *
   * @return {@code false} only for {@link #RSA_V1_5_SHA256}
   */
  public boolean canSign() {
    return this != RSA_V1_5_SHA256;
  }

  /** Checks that {@code key} suits this algorithm for signing ({@code signing}) or verifying. */
  void checkKey(Key key, boolean signing) {
    switch (this) {
      case HMAC_SHA256 -> {
        if (!(key instanceof SecretKey) || key.getEncoded() == null || key.getEncoded().length < MIN_HMAC_BYTES) {
          throw new IllegalArgumentException("hmac-sha256 needs a secret key of at least 32 bytes");
        }
      }
      case ED25519 -> requireType(key, signing, "Ed25519", "EdDSA");
      case ECDSA_P256_SHA256 -> {
        requireType(key, signing, "EC");
        if (!isP256(((ECKey) key).getParams())) {
          throw new IllegalArgumentException("ecdsa-p256-sha256 needs a key on P-256");
        }
      }
      case RSA_PSS_SHA512, RSA_V1_5_SHA256 -> {
        requireType(key, signing, "RSA", "RSASSA-PSS");
        if (((RSAKey) key).getModulus().bitLength() < MIN_RSA_BITS) {
          throw new IllegalArgumentException(identifier + " needs an RSA key of at least 2048 bits");
        }
      }
      default -> throw new AssertionError(this);
    }
    if (signing && !canSign()) {
      throw new IllegalArgumentException(identifier + " is accepted for verification only");
    }
  }

  byte[] sign(Key key, byte[] data) throws GeneralSecurityException {
    if (this == HMAC_SHA256) {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    }
    Signature signature = newSignature();
    signature.initSign((PrivateKey) key);
    signature.update(data);
    return signature.sign();
  }

  boolean verify(Key key, byte[] data, byte[] signatureBytes) {
    try {
      if (this == HMAC_SHA256) {
        return MessageDigest.isEqual(sign(key, data), signatureBytes);
      }
      // Both encodings have a fixed length. The check also closes a JDK 17 flaw: its Ed25519 verifier accepts a
      // valid signature with bytes appended (Wycheproof ed25519 tcId 37).
      if ((this == ECDSA_P256_SHA256 || this == ED25519) && signatureBytes.length != 64) {
        return false;
      }
      Signature signature = newSignature();
      signature.initVerify((PublicKey) key);
      signature.update(data);
      return signature.verify(signatureBytes);
    } catch (InvalidKeyException e) {
      return false;
    } catch (GeneralSecurityException | RuntimeException e) {
      // A provider that cannot parse a malformed signature throws instead of returning false.
      return false;
    }
  }

  private Signature newSignature() throws GeneralSecurityException {
    return switch (this) {
      case ED25519 -> Signature.getInstance("Ed25519");
      case ECDSA_P256_SHA256 -> Signature.getInstance("SHA256withECDSAinP1363Format");
      case RSA_PSS_SHA512 -> {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1));
        yield s;
      }
      case RSA_V1_5_SHA256 -> Signature.getInstance("SHA256withRSA");
      default -> throw new AssertionError(this);
    };
  }

  private void requireType(Key key, boolean signing, String... algorithms) {
    boolean typeOk = signing ? key instanceof PrivateKey : key instanceof PublicKey;
    boolean algorithmOk = false;
    for (String a : algorithms) {
      algorithmOk |= a.equalsIgnoreCase(key.getAlgorithm());
    }
    if (!typeOk || !algorithmOk) {
      throw new IllegalArgumentException(identifier + " needs " + (signing ? "a private " : "a public ")
          + String.join(" or ", algorithms) + " key");
    }
  }

  private static boolean isP256(ECParameterSpec params) {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec p256 = p.getParameterSpec(ECParameterSpec.class);
      return params.getCurve().equals(p256.getCurve()) && params.getGenerator().equals(p256.getGenerator())
          && params.getOrder().equals(p256.getOrder()) && params.getCofactor() == p256.getCofactor();
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
