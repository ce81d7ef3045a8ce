package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.prf.HmacPrfKey;
import com.google.crypto.tink.prf.HmacPrfParameters;
import com.google.crypto.tink.prf.PrfSet;
import com.google.crypto.tink.util.SecretBytes;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Project Wycheproof known-answer and attack vectors, run through exactly the Tink primitives and parameters the
 * library uses: AES-256-GCM with a 96-bit nonce, 128-bit tag and Tink's 5-byte key prefix (FieldCipher, and the KEK
 * without prefix), and HMAC-SHA256 with a 256-bit key as a PRF, full and truncated (BlindIndex).
 *
 * <p>Sources: src/test/resources/vectors/wycheproof__aes_gcm_test.json and wycheproof__hmac_sha256_test.json, copied
 * from ../shared/vectors; each file's {@code _source} names the Wycheproof commit and the original file's SHA-256.
 */
class WycheproofVectorsTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final int KEY_ID = 0x0a1b2c3d;

  private static JsonNode vectors(String name) throws Exception {
    try (InputStream in = WycheproofVectorsTest.class.getResourceAsStream("/vectors/" + name)) {
      assertThat(in).as("test resource %s", name).isNotNull();
      JsonNode root = new ObjectMapper().readTree(in);
      assertThat(root.get("_source").asText()).contains("C2SP/wycheproof");
      return root.get("vectors");
    }
  }

  private static <P> P primitive(Key key, Class<P> type) throws Exception {
    KeysetHandle handle = TinkRuntime.newBuilder()
        .addEntry(KeysetHandle.importKey(key).withFixedId(KEY_ID).makePrimary())
        .build();
    return handle.getPrimitive(TinkRuntime.config(), type);
  }

  private static byte[] hex(JsonNode test, String field) {
    return HEX.parseHex(test.get(field).asText());
  }

  @TestFactory
  Stream<DynamicTest> aesGcm256_withTinkPrefix_matchesWycheproof() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode group : vectors("wycheproof__aes_gcm_test.json").get("testGroups")) {
      if (group.get("keySize").asInt() != 256 || group.get("ivSize").asInt() != 96
          || group.get("tagSize").asInt() != 128) {
        continue; // only the parameters the library uses
      }
      for (JsonNode test : group.get("tests")) {
        tests.add(DynamicTest.dynamicTest("tcId " + test.get("tcId").asInt() + " " + test.get("comment").asText(),
            () -> checkAesGcm(test)));
      }
    }
    assertThat(tests).hasSizeGreaterThan(50);
    return tests.stream();
  }

  private static void checkAesGcm(JsonNode test) throws Exception {
    for (AesGcmParameters.Variant variant : new AesGcmParameters.Variant[] {
        AesGcmParameters.Variant.TINK, AesGcmParameters.Variant.NO_PREFIX}) {
      boolean prefixed = variant == AesGcmParameters.Variant.TINK;
      AesGcmParameters parameters = AesGcmParameters.builder()
          .setKeySizeBytes(32).setIvSizeBytes(12).setTagSizeBytes(16).setVariant(variant).build();
      AesGcmKey key = AesGcmKey.builder()
          .setParameters(parameters)
          .setKeyBytes(SecretBytes.copyFrom(hex(test, "key"), InsecureSecretKeyAccess.get()))
          .setIdRequirement(prefixed ? KEY_ID : null)
          .build();
      if (prefixed) {
        assertThat(parameters).isEqualTo(TinkRuntime.parameters(KeyPurpose.FIELD_ENCRYPTION));
      }
      Aead aead = primitive(key, Aead.class);
      byte[] iv = hex(test, "iv");
      byte[] ct = hex(test, "ct");
      byte[] tag = hex(test, "tag");
      ByteBuffer wire = ByteBuffer.allocate((prefixed ? 5 : 0) + iv.length + ct.length + tag.length);
      if (prefixed) {
        wire.put((byte) 0x01).putInt(KEY_ID);
      }
      byte[] ciphertext = wire.put(iv).put(ct).put(tag).array();
      byte[] aad = hex(test, "aad");
      String result = test.get("result").asText();
      if (result.equals("valid")) {
        assertThat(aead.decrypt(ciphertext, aad)).isEqualTo(hex(test, "msg"));
      } else if (result.equals("invalid")) {
        assertThatThrownBy(() -> aead.decrypt(ciphertext, aad)).isInstanceOf(java.security.GeneralSecurityException.class);
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> hmacSha256Prf_256BitKey_matchesWycheproof() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode group : vectors("wycheproof__hmac_sha256_test.json").get("testGroups")) {
      if (group.get("keySize").asInt() != 256) {
        continue; // blind index keys are 256-bit
      }
      int tagBytes = group.get("tagSize").asInt() / 8;
      for (JsonNode test : group.get("tests")) {
        tests.add(DynamicTest.dynamicTest(
            "tag " + tagBytes + " tcId " + test.get("tcId").asInt() + " " + test.get("comment").asText(),
            () -> checkHmac(test, tagBytes)));
      }
    }
    assertThat(tests).hasSizeGreaterThan(100);
    return tests.stream();
  }

  private static void checkHmac(JsonNode test, int tagBytes) throws Exception {
    HmacPrfParameters parameters = HmacPrfParameters.builder()
        .setKeySizeBytes(32).setHashType(HmacPrfParameters.HashType.SHA256).build();
    assertThat(parameters).isEqualTo(TinkRuntime.parameters(KeyPurpose.BLIND_INDEX));
    HmacPrfKey key = HmacPrfKey.builder()
        .setParameters(parameters)
        .setKeyBytes(SecretBytes.copyFrom(hex(test, "key"), InsecureSecretKeyAccess.get()))
        .build();
    byte[] computed = primitive(key, PrfSet.class).computePrimary(hex(test, "msg"), tagBytes);
    String result = test.get("result").asText();
    if (result.equals("valid")) {
      assertThat(computed).isEqualTo(hex(test, "tag"));
    } else if (result.equals("invalid")) {
      assertThat(computed).isNotEqualTo(hex(test, "tag"));
    }
  }
}
