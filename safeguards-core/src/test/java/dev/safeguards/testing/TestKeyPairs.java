package dev.safeguards.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Key pairs generated per test run with the JDK; no key is ever committed. */
public final class TestKeyPairs {

  private TestKeyPairs() {}

  /** An Ed25519 key pair. */
  public static KeyPair ed25519() {
    return generate("Ed25519", null, 0);
  }

  /** An EC key pair on a named curve, e.g. {@code secp256r1}. */
  public static KeyPair ec(String curve) {
    return generate("EC", curve, 0);
  }

  /** An RSA key pair of {@code bits} bits. */
  public static KeyPair rsa(int bits) {
    return generate("RSA", null, bits);
  }

  private static KeyPair generate(String algorithm, String curve, int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (curve != null) {
        g.initialize(new ECGenParameterSpec(curve));
      } else if (bits > 0) {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + algorithm + " keys", e);
    }
  }
}
