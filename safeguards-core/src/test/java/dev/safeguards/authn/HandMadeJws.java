package dev.safeguards.authn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import dev.safeguards.testing.TestKeyPairs;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds compact JWS tokens byte by byte with the JDK, so that tests can make the malformed and hostile tokens a JWT
 * library would refuse to produce.
 */
final class HandMadeJws {

  static final ObjectMapper JSON = new ObjectMapper();

  private HandMadeJws() {}

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  static String signingInput(ObjectNode header, ObjectNode claims) {
    return b64(header.toString()) + "." + b64(claims.toString());
  }

  static String sign(String signingInput, String jdkAlgorithm, PrivateKey key) throws Exception {
    Signature s = Signature.getInstance(jdkAlgorithm);
    if (jdkAlgorithm.equals("RSASSA-PSS")) {
      s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
          java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
    }
    s.initSign(key);
    s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + b64(s.sign());
  }

  /**
   * HMAC-SHA256 of the signing input. An empty secret is computed as the one-byte key {0}: HMAC pads keys with zero
   * bytes to the block size, so both give the same MAC (the JDK refuses an empty key spec).
   */
  static String hmac(String signingInput, byte[] secret) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, "HmacSHA256"));
    return signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  static ObjectNode header(String alg, String kid) {
    ObjectNode h = JSON.createObjectNode().put("alg", alg);
    if (kid != null) {
      h.put("kid", kid);
    }
    return h;
  }

  static ObjectNode claims(long iat, long exp, String sub) {
    return JSON.createObjectNode().put("iss", TokenFixtures.ISSUER).put("aud", TokenFixtures.AUDIENCE)
        .put("sub", sub).put("iat", iat).put("exp", exp).put("jti", "j-" + iat).put("sid", "s-1");
  }

  static KeyPair generate(String algorithm, String curve) {
    return algorithm.equals("RSA") ? TestKeyPairs.rsa(2048) : TestKeyPairs.ec(curve);
  }

  /** The public JWK of {@code key} with this kid (and alg, if not null), built with jjwt's JWK support. */
  static String jwks(String kid, PublicKey key, String alg) {
    var builder = io.jsonwebtoken.security.Jwks.builder().key(key).id(kid);
    var jwk = alg == null ? builder.build() : builder.algorithm(alg).build();
    return "{\"keys\":[" + io.jsonwebtoken.security.Jwks.json(jwk) + "]}";
  }
}
