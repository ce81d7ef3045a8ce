package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import dev.safeguards.testing.FuzzInputs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes reading keyset files. Whatever the bytes, {@link KeysetFiles#parse} returns a keyset whose key list
 * describes exactly the keys inside, or throws {@link KeysetFileException}; what it returns writes back to a file that
 * reads as the same keys.
 */
class KeysetFilesFuzzTest {

  private static final Path FILE = Path.of("field-encryption.json");
  private static final KeyPurpose PURPOSE = KeyPurpose.FIELD_ENCRYPTION;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] SEPARATOR = "\n--\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir static Path tmp;
  private static KeyEncryptionKey kek;
  /** Key 0a1b2c3d (enabled, primary) and 7e5f4a21 (disabled), generated per run: no key is committed. */
  private static byte[] generatedKeyset;

  @BeforeAll
  static void keys() throws Exception {
    kek = KeyEncryptionKey.generateMasterKeyFile(tmp.resolve("master.key"));
    KeysetHandle handle = TinkRuntime.newBuilder()
        .addEntry(KeysetHandle.generateEntryFromParameters(TinkRuntime.parameters(PURPOSE)).withFixedId(0x0a1b2c3d)
            .makePrimary())
        .addEntry(KeysetHandle.generateEntryFromParameters(TinkRuntime.parameters(PURPOSE)).withFixedId(0x7e5f4a21)
            .setStatus(com.google.crypto.tink.KeyStatus.DISABLED))
        .build();
    generatedKeyset = TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get(), TinkRuntime.config());
  }

  /** The input is the keyset file. */
  @FuzzTest(maxDuration = "2m")
  void parse_anyBytes_returnsAMatchingKeysetOrThrowsKeysetFileException(byte[] data) throws Exception {
    parseOrRefuse(data);
  }

  /**
   * The input is the key list, one key a line as in the associated data ({@code id type status primary createdAt}),
   * optionally followed by a line {@code --} and the bytes of a Tink keyset (otherwise the generated one is used); the
   * harness writes the file and seals the keyset under the KEK with the associated data of that list, so that inputs
   * get past the decryption to the cross-checks.
   */
  @FuzzTest(maxDuration = "3m")
  void parse_anyKeyListAroundASealedKeyset_returnsAMatchingKeysetOrThrowsKeysetFileException(byte[] data)
      throws Exception {
    int separator = indexOf(data, SEPARATOR);
    byte[] keyList = separator < 0 ? data : Arrays.copyOfRange(data, 0, separator);
    byte[] keyset = separator < 0 ? generatedKeyset : Arrays.copyOfRange(data, separator + SEPARATOR.length,
        data.length);
    List<String[]> metadata = new ArrayList<>();
    ObjectNode root = JSON.createObjectNode().put("format", ManagedKeyset.FORMAT).put("purpose", PURPOSE.fileName());
    ArrayNode keys = root.putArray("keys");
    for (String line : FuzzInputs.lines(keyList)) {
      String[] f = Arrays.copyOf(line.split(" ", 5), 5);
      for (int i = 0; i < 5; i++) {
        f[i] = f[i] == null ? "" : f[i];
      }
      metadata.add(f);
      ObjectNode key = keys.addObject().put("id", f[0]).put("type", f[1]).put("status", f[2]);
      if (f[3].equals("true") || f[3].equals("false")) {
        key.put("primary", Boolean.parseBoolean(f[3]));
      } else {
        key.put("primary", f[3]);
      }
      key.put("createdAt", f[4]);
    }
    byte[] sealed = kek.aead().encrypt(keyset, KeysetFiles.associatedData(PURPOSE.fileName(), metadata));
    root.put("encryptedKeyset", Base64.getEncoder().encodeToString(encryptedKeyset(sealed)));
    KeysetFiles.Parsed parsed = parseOrRefuse(JSON.writeValueAsBytes(root));
    if (parsed != null) {
      // The file says exactly what was read: each key's id and creation time in their one written form.
      for (int i = 0; i < metadata.size(); i++) {
        KeyInfo k = parsed.keys().get(i);
        assertThat(new String[] {k.keyId().toString(), k.keyType(), k.status().fileName(),
            Boolean.toString(k.primary()), java.time.format.DateTimeFormatter.ISO_INSTANT.format(k.createdAt())})
            .isEqualTo(metadata.get(i));
      }
    }
  }

  private static KeysetFiles.Parsed parseOrRefuse(byte[] file) throws Exception {
    KeysetFiles.Parsed parsed;
    try {
      parsed = KeysetFiles.parse(file, FILE, PURPOSE, kek);
    } catch (KeysetFileException e) {
      FuzzInputs.assertBoundedMessage(e);
      return null;
    }
    List<KeyInfo> keys = parsed.keys();
    assertThat(keys).filteredOn(KeyInfo::primary).hasSize(1);
    assertThat(keys).allSatisfy(k -> {
      assertThat(k.purpose()).isEqualTo(PURPOSE);
      assertThat(k.keyType()).isEqualTo(PURPOSE.keyType());
    });
    assertThat(parsed.handle().size())
        .isEqualTo(keys.stream().filter(k -> k.status() != KeyStatus.DESTROYED).count());
    assertThat(parsed.handle().getPrimary().getId())
        .isEqualTo(keys.stream().filter(KeyInfo::primary).findFirst().orElseThrow().keyId().value());
    byte[] written = KeysetFiles.serialize(parsed.handle(), keys, PURPOSE, kek, FILE);
    assertThat(KeysetFiles.parse(written, FILE, PURPOSE, kek).keys()).isEqualTo(keys);
    return parsed;
  }

  /** Tink's {@code EncryptedKeyset} protocol buffer holding only {@code encrypted_keyset} (field 2). */
  private static byte[] encryptedKeyset(byte[] sealed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x12);
    for (int n = sealed.length; ; n >>>= 7) {
      if (n < 0x80) {
        out.write(n);
        break;
      }
      out.write(n & 0x7f | 0x80);
    }
    out.writeBytes(sealed);
    return out.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= data.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (data[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
