package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.mac.HmacKey;
import com.google.crypto.tink.prf.HmacPrfKey;
import com.google.crypto.tink.signature.EcdsaPrivateKey;
import com.google.crypto.tink.signature.Ed25519PrivateKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keyset files on disk never contain raw key material, in any common encoding, for any purpose. */
class KeysetFileSecrecyTest {

  @TempDir Path dir;

  @Test
  void keysetFiles_containNoRawKeyBytes() throws Exception {
    KeyEncryptionKey kek = TestKeys.masterKey(dir);
    for (KeyPurpose purpose : KeyPurpose.values()) {
      Path file = dir.resolve(purpose.fileName() + ".keyset.json");
      ManagedKeyset keyset = ManagedKeyset.create(file, purpose, kek, TestKeys.CLOCK);
      keyset.rotate();

      List<byte[]> secrets = rawKeys(keyset);
      assertThat(secrets).as("%s keys found in the cleartext export", purpose).hasSize(2)
          .allMatch(s -> s.length >= 32);
      byte[] bytes = Files.readAllBytes(file);
      byte[] sealed = Base64.getDecoder().decode(new ObjectMapper().readTree(bytes).get("encryptedKeyset").asText());
      for (byte[] secret : secrets) {
        for (byte[] haystack : new byte[][] {bytes, sealed}) {
          assertThat(indexOf(haystack, Arrays.copyOf(secret, 16))).as("raw key bytes in %s", purpose).isEqualTo(-1);
          for (String encoded : encodings(secret)) {
            assertThat(indexOf(haystack, encoded.getBytes(StandardCharsets.US_ASCII)))
                .as("encoded key in %s", purpose).isEqualTo(-1);
          }
        }
      }
    }
  }

  /** The secret material of every key, read through Tink's key objects from the insecure cleartext export. */
  private static List<byte[]> rawKeys(ManagedKeyset keyset) throws Exception {
    KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(
        new String(keyset.exportCleartextKeysetInsecure(), StandardCharsets.UTF_8), TinkRuntime.config(),
        InsecureSecretKeyAccess.get());
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < handle.size(); i++) {
      Key key = handle.getAt(i).getKey();
      var access = InsecureSecretKeyAccess.get();
      if (key instanceof AesGcmKey k) {
        keys.add(k.getKeyBytes().toByteArray(access));
      } else if (key instanceof HmacPrfKey k) {
        keys.add(k.getKeyBytes().toByteArray(access));
      } else if (key instanceof AesGcmHkdfStreamingKey k) {
        keys.add(k.getInitialKeyMaterial().toByteArray(access));
      } else if (key instanceof Ed25519PrivateKey k) {
        keys.add(k.getPrivateKeyBytes().toByteArray(access));
      } else if (key instanceof EcdsaPrivateKey k) {
        byte[] raw = k.getPrivateValue().getBigInteger(access).toByteArray(); // big-endian, maybe a sign byte
        byte[] fixed = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, fixed, 32 - n, n);
        keys.add(fixed);
      } else if (key instanceof HmacKey k) {
        keys.add(k.getKeyBytes().toByteArray(access));
      } else {
        throw new AssertionError("unexpected key type " + key.getClass());
      }
    }
    return keys;
  }

  private static List<String> encodings(byte[] secret) {
    byte[] probe = Arrays.copyOf(secret, 24); // a 24-byte prefix encodes without padding effects
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
