package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.testing.CapturedLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole key life cycle logs what happened to which key, and never a value or key material. */
class CryptoLoggingTest {

  private static final String PHI = "Ada Lovelace, 1815-12-10, 123-45-6789";

  @TempDir Path dir;

  @Test
  void keyLifeCycle_logsKeyIdsButNoSecrets() throws Exception {
    CapturedLogs.clear();
    Keyring keys = TestKeys.keyring(dir);
    String masterKeyText = Files.readString(dir.resolve("master.key")).strip();
    FieldContext ctx = FieldContext.of("Patient", "p-1", "summary");
    FieldCipher cipher = keys.fieldCipher();
    String ciphertext = cipher.encrypt(PHI, ctx);
    ManagedKeyset keyset = keys.keyset(KeyPurpose.FIELD_ENCRYPTION);
    KeyId old = keyset.primaryKeyId();
    keyset.rotate();
    keyset.disable(old, ReencryptionConfirmation.confirmedByOperator(KeyPurpose.FIELD_ENCRYPTION, Set.of(old), "t"));
    assertThatThrownBy(() -> cipher.decrypt(ciphertext, ctx)).isInstanceOf(UnknownKeyException.class);
    keyset.enable(old);
    byte[] export = keyset.exportCleartextKeysetInsecure();

    List<String> lines = CapturedLogs.lines();
    assertThat(lines).anyMatch(l -> l.contains("rotated field-encryption keyset") && l.contains(keyset.primaryKeyId().toString()));
    assertThat(lines).anyMatch(l -> l.startsWith("WARN") && l.contains("cleartext export"));
    List<String> secrets = new ArrayList<>(List.of(PHI, "123-45-6789", masterKeyText, masterKeyText.substring(17),
        ciphertext.substring(4, 30)));
    for (JsonNode key : new ObjectMapper().readTree(export).get("key")) {
      byte[] material = Base64.getDecoder().decode(key.get("keyData").get("value").asText());
      byte[] raw = java.util.Arrays.copyOfRange(material, material.length - 32, material.length);
      secrets.add(HexFormat.of().formatHex(raw));
      secrets.add(Base64.getEncoder().encodeToString(raw).substring(0, 40));
    }
    for (String line : lines) {
      for (String secret : secrets) {
        assertThat(line).doesNotContain(secret);
      }
    }
  }
}
