package dev.safeguards.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.crypto.InvalidSignatureException;
import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.KeyedSignature;
import dev.safeguards.crypto.SigningKeyset;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Wycheproof Ed25519 and ECDSA P-256 (P1363) vectors through the Tink verifiers that check record signatures, built
 * from each group's public JWK exactly as a third party builds them with {@link SigningKeyset#fromPublicJwks}.
 */
class RecordSignatureWycheproofTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final KeyId KID = KeyId.parse("0a1b2c3d");
  /** As for the HTTP verifiers: valid signatures the JDK's SunEC (which Tink uses) refuses on Java 17 only. */
  private static final Set<Integer> JDK17_ECDSA_FALSE_NEGATIVES = Set.of(115, 257);

  private static Stream<DynamicTest> run(String file, boolean ecdsa) throws Exception {
    JsonNode vectors;
    try (InputStream in = RecordSignatureWycheproofTest.class.getResourceAsStream("/vectors/" + file)) {
      vectors = new ObjectMapper().readTree(in).get("vectors");
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode group : vectors.get("testGroups")) {
      // Built from the raw key (some groups carry no JWK): x, y or the Ed25519 point, as 32 bytes each.
      JsonNode pk = group.get("publicKey");
      ObjectNode jwk = new ObjectMapper().createObjectNode();
      if (ecdsa) {
        jwk.put("kty", "EC").put("crv", "P-256").put("x", b64(fixed32(pk.get("wx").asText())))
            .put("y", b64(fixed32(pk.get("wy").asText())));
      } else {
        jwk.put("kty", "OKP").put("crv", "Ed25519").put("x", b64(HEX.parseHex(pk.get("pk").asText())));
      }
      jwk.put("kid", KID.toString());
      ObjectNode jwks = new ObjectMapper().createObjectNode();
      jwks.putArray("keys").add(jwk);
      SigningKeyset keys = SigningKeyset.fromPublicJwks(jwks.toString());
      for (JsonNode t : group.get("tests")) {
        tests.add(DynamicTest.dynamicTest("tcId " + t.get("tcId").asInt() + " " + t.get("comment").asText(), () -> {
          byte[] msg = HEX.parseHex(t.get("msg").asText());
          KeyedSignature sig = new KeyedSignature(KID, HEX.parseHex(t.get("sig").asText()));
          String result = t.get("result").asText();
          if (ecdsa && JDK17_ECDSA_FALSE_NEGATIVES.contains(t.get("tcId").asInt())
              && Runtime.version().feature() < 25) {
            return;
          }
          if (result.equals("valid")) {
            keys.verify(msg, sig);
          } else if (result.equals("invalid")) {
            assertThatThrownBy(() -> keys.verify(msg, sig)).isInstanceOf(InvalidSignatureException.class);
          }
        }));
      }
    }
    assertThat(tests).hasSizeGreaterThan(100);
    return tests.stream();
  }

  private static byte[] fixed32(String hex) {
    byte[] raw = new java.math.BigInteger(hex, 16).toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  private static String b64(byte[] bytes) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @TestFactory
  Stream<DynamicTest> ed25519() throws Exception {
    return run("wycheproof__ed25519_test.json", false);
  }

  @TestFactory
  Stream<DynamicTest> ecdsaP256P1363() throws Exception {
    return run("wycheproof__ecdsa_secp256r1_sha256_p1363_test.json", true);
  }
}
