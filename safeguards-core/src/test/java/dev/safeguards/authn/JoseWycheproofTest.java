package dev.safeguards.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Project Wycheproof json_web_signature and json_web_key vectors (src/test/resources/vectors/, from ../shared/vectors)
 * through the JWS layer of the token verifier: the group's key set becomes the {@link JwkSource} (shared secrets
 * allowed, every algorithm allowed), then each JWS is checked. Every "invalid" vector is refused.
 *
 * <p>Every "valid" vector is accepted, except where this library is deliberately stricter than the RFC 7520 examples
 * Wycheproof reuses; each such case is listed in {@link #STRICTER} with the reason, and must be refused.
 */
class JoseWycheproofTest {

  /** "group comment/tcId" of valid vectors refused by design, and why. */
  private static final Map<String, String> STRICTER = Map.of(
      "rfc7520/346", "the JWK binds the key to PS256 (\"alg\"), the token uses PS384: a key serves one algorithm",
      "rfc7520WithKeyOps/350", "the JWK binds the key to PS256, the token uses PS384: a key serves one algorithm",
      "rfc7520/347", "the JWK names \"ES521\", which is not a JWS algorithm: the key is left out",
      "rfc7520WithKeyOps/351", "the JWK names \"ES521\", which is not a JWS algorithm: the key is left out",
      "base64/372", "a character outside base64url is refused, whatever a lenient decoder makes of it",
      "base64/373", "a character outside base64url is refused, whatever a lenient decoder makes of it");

  /**
   * Vectors of this copy that are byte-identical to the valid tcId 357 although marked invalid: the padding they are
   * named after is not in them. They are checked to be that copy, and accepted like 357.
   */
  private static final Map<String, String> IDENTICAL_TO_357 = Map.of(
      "base64/367", "invalidBase64Padding", "base64/370", "invalidBase64PaddingInPayload");

  private static final String TC_357 =
      "eyJraWQiOiJoczI1Ni1rZXkiLCJhbGciOiJIUzI1NiJ9.VGVzdA.c1LROH7eNQwUT8KMVEO52VC3WZ9e_AnDWbZ7aMmowV8";

  private static JsonNode vectors(String name) throws Exception {
    try (InputStream in = JoseWycheproofTest.class.getResourceAsStream("/vectors/" + name)) {
      JsonNode root = new ObjectMapper().readTree(in);
      assertThat(root.get("_source").asText()).contains("C2SP/wycheproof");
      return root.get("vectors");
    }
  }

  private static JjwtTokenVerifier verifierFor(JsonNode keys) {
    String jwks = keys.has("keys") ? keys.toString() : "{\"keys\":[" + keys + "]}";
    TokenPolicy policy = TokenPolicy.builder("https://wycheproof.example", "wycheproof",
            JwkSource.ofIncludingSharedSecrets(jwks))
        .allowHmacAlgorithmsWithSharedSecrets()
        .algorithms(JwsAlgorithm.values())
        .clock(TokenFixtures.CLOCK)
        .build();
    return new JjwtTokenVerifier(policy);
  }

  private static Stream<DynamicTest> run(String file) throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode group : vectors(file).get("testGroups")) {
      JsonNode keys = group.has("public") ? group.get("public") : group.get("private");
      String comment = group.get("comment").asText();
      for (JsonNode t : group.get("tests")) {
        String id = comment + "/" + t.get("tcId").asInt();
        tests.add(DynamicTest.dynamicTest(id + " " + t.get("comment").asText(), () -> {
          String jws = t.get("jws").asText();
          boolean valid = t.get("result").asText().equals("valid") && !STRICTER.containsKey(id);
          if (IDENTICAL_TO_357.containsKey(id)) {
            assertThat(jws).isEqualTo(TC_357);
            valid = true;
          }
          JjwtTokenVerifier verifier;
          try {
            verifier = verifierFor(keys);
          } catch (IllegalArgumentException refusedKeySet) {
            assertThat(valid).as("the key set of %s was refused: %s", id, refusedKeySet.getMessage()).isFalse();
            return;
          }
          if (valid) {
            verifier.verifySignature(jws);
          } else {
            assertThatThrownBy(() -> verifier.verifySignature(jws)).isInstanceOf(AuthenticationException.class);
          }
        }));
      }
    }
    assertThat(tests).hasSizeGreaterThan(20);
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> jsonWebSignature() throws Exception {
    return run("wycheproof__json_web_signature_test.json");
  }

  @TestFactory
  Stream<DynamicTest> jsonWebKey() throws Exception {
    return run("wycheproof__json_web_key_test.json");
  }
}
