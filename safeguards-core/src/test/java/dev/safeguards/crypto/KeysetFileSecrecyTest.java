package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keyset files on disk never contain raw key material, in any common encoding. */
class KeysetFileSecrecyTest {

  @TempDir Path dir;

  @Test
  void keysetFiles_containNoRawKeyBytes() throws Exception {
    Keyring keys = TestKeys.keyring(dir);
    for (KeyPurpose purpose : KeyPurpose.values()) {
      keys.keyset(purpose).rotate();
    }

    for (KeyPurpose purpose : KeyPurpose.values()) {
      List<byte[]> secrets = rawKeys(keys.keyset(purpose));
      assertThat(secrets).as("%s keys found in the cleartext export", purpose).hasSize(2);
      byte[] file = Files.readAllBytes(Keyring.fileFor(keys.directory(), purpose));
      byte[] sealed = Base64.getDecoder().decode(new ObjectMapper().readTree(file).get("encryptedKeyset").asText());
      for (byte[] secret : secrets) {
        for (byte[] haystack : new byte[][] {file, sealed}) {
          assertThat(indexOf(haystack, secret)).as("raw key bytes in %s", purpose).isEqualTo(-1);
          for (String encoded : encodings(secret)) {
            assertThat(indexOf(haystack, encoded.getBytes(StandardCharsets.US_ASCII)))
                .as("encoded key in %s", purpose).isEqualTo(-1);
          }
        }
      }
    }
  }

  /** The key bytes, read from Tink's cleartext JSON export (whose keyMaterial protos end with the raw key). */
  private static List<byte[]> rawKeys(ManagedKeyset keyset) throws Exception {
    JsonNode export = new ObjectMapper().readTree(keyset.exportCleartextKeysetInsecure());
    List<byte[]> keys = new ArrayList<>();
    for (JsonNode key : export.get("key")) {
      byte[] material = Base64.getDecoder().decode(key.get("keyData").get("value").asText());
      // Every key proto here ends with field "key_value" = 32 bytes: tag, length 0x20, bytes.
      int at = material.length - 32;
      assertThat(material[at - 1]).isEqualTo((byte) 32);
      keys.add(java.util.Arrays.copyOfRange(material, at, material.length));
    }
    return keys;
  }

  private static List<String> encodings(byte[] secret) {
    byte[] probe = java.util.Arrays.copyOf(secret, 24); // a 24-byte prefix encodes without padding effects
    return List.of(
        Base64.getEncoder().encodeToString(probe),
        Base64.getUrlEncoder().encodeToString(probe),
        HexFormat.of().formatHex(probe),
        HexFormat.of().withUpperCase().formatHex(probe));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
