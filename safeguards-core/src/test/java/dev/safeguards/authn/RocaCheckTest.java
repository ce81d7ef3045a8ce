package dev.safeguards.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RocaCheckTest {

  @Test
  void rocaKeyOfWycheproof_isDetected() throws Exception {
    JsonNode vectors;
    try (InputStream in = getClass().getResourceAsStream("/vectors/wycheproof__json_web_key_test.json")) {
      vectors = new ObjectMapper().readTree(in).get("vectors");
    }
    BigInteger n = null;
    for (JsonNode g : vectors.get("testGroups")) {
      if (g.get("comment").asText().equals("jws_rsa_roca_key")) {
        n = new BigInteger(1, Base64.getUrlDecoder().decode(g.get("public").get("keys").get(0).get("n").asText()));
      }
    }
    assertThat(n).isNotNull();
    assertThat(RocaCheck.isVulnerable(n)).isTrue();
    assertThat(JwsAlgorithm.RS256.unsuitable(java.security.KeyFactory.getInstance("RSA").generatePublic(
        new java.security.spec.RSAPublicKeySpec(n, BigInteger.valueOf(65537))))).get().asString().contains("ROCA");
  }

  @Test
  void freshlyGeneratedKeys_areNotFlagged() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    for (int bits : new int[] {2048, 2048, 2048, 4096}) {
      g.initialize(bits);
      assertThat(RocaCheck.isVulnerable(((RSAPublicKey) g.generateKeyPair().getPublic()).getModulus())).isFalse();
    }
  }
}
