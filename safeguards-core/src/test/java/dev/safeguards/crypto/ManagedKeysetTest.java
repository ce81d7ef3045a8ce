package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedKeysetTest {

  @TempDir Path dir;
  private KeyEncryptionKey kek;
  private Path file;

  @BeforeEach
  void setUp() throws Exception {
    kek = TestKeys.masterKey(dir);
    file = dir.resolve("field.keyset.json");
  }

  private ManagedKeyset create() throws KeyManagementException {
    return ManagedKeyset.create(file, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK);
  }

  private static ReencryptionConfirmation confirm(KeyId... ids) {
    return ReencryptionConfirmation.confirmedByOperator(KeyPurpose.FIELD_ENCRYPTION, Set.of(ids), "test");
  }

  @Test
  void create_thenOpen_hasSameInventory() throws Exception {
    ManagedKeyset created = create();

    ManagedKeyset opened = ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK);

    assertThat(opened.inventory()).isEqualTo(created.inventory()).hasSize(1);
    KeyInfo key = opened.inventory().get(0);
    assertThat(key.primary()).isTrue();
    assertThat(key.status()).isEqualTo(KeyStatus.ENABLED);
    assertThat(key.keyType()).isEqualTo("AES256_GCM");
    assertThat(key.createdAt()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123Z"));
    assertThat(opened.primaryKeyId()).isEqualTo(key.keyId());
  }

  @Test
  void create_whenFileExists_isRefused() throws Exception {
    create();
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(this::create).isInstanceOf(KeysetFileException.class).hasMessageContaining("never overwritten");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void open_missingFile_fails() {
    assertThatThrownBy(() -> ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK))
        .isInstanceOf(KeysetFileException.class)
        .hasMessageContaining("not found");
  }

  @Test
  void open_withWrongMasterKey_fails() throws Exception {
    create();
    KeyEncryptionKey other = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("other.key"));

    assertThatThrownBy(() -> ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, other, TestKeys.CLOCK))
        .isInstanceOf(KeysetFileException.class)
        .hasMessageContaining("key-encryption key is wrong, or the file was modified");
  }

  @Test
  void open_asAnotherPurpose_fails() throws Exception {
    create();

    assertThatThrownBy(() -> ManagedKeyset.open(file, KeyPurpose.BLIND_INDEX, kek, TestKeys.CLOCK))
        .isInstanceOf(KeysetFileException.class)
        .hasMessageContaining("another purpose");
  }

  @Test
  void open_withEditedMetadata_detectsTheEdit() throws Exception {
    ManagedKeyset keyset = create();
    keyset.rotate();
    ObjectMapper json = new ObjectMapper();

    // Each edit keeps the file well-formed; only the binding to the sealed keyset can reveal it.
    String[][] edits = {
        {"createdAt", "2020-01-01T00:00:00Z"},
        {"status", "disabled"},
    };
    for (String[] edit : edits) {
      ObjectNode root = (ObjectNode) json.readTree(Files.readAllBytes(file));
      ((ObjectNode) root.get("keys").get(0)).put(edit[0], edit[1]);
      Path edited = dir.resolve("edited-" + edit[0] + ".json");
      Files.write(edited, json.writeValueAsBytes(root));

      assertThatThrownBy(() -> ManagedKeyset.open(edited, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK))
          .as("edit of %s", edit[0])
          .isInstanceOf(KeysetFileException.class)
          .hasMessageContaining(edited.toString());
    }
  }

  @Test
  void open_malformedFiles_failWithClearMessages() throws Exception {
    create();
    String good = Files.readString(file);
    String[][] cases = {
        {"", "empty"},
        {"[]", "not a JSON object"},
        {"{", "not valid JSON"},
        {good.replace("safeguards-keyset/v1", "safeguards-keyset/v9"), "unsupported format"},
        {good.replaceFirst("\\{", "{\"extra\": 1,"), "unknown field"},
        {good.replaceFirst("\"purpose\"", "\"purpose\": \"field-encryption\", \"purpose\""), "not valid JSON"},
        {good.replace("\"encryptedKeyset\" : \"", "\"encryptedKeyset\" : \"%%%"), "not valid base64"},
        {good.replace("\"primary\" : true", "\"primary\" : false"), "exactly one key must be primary"},
        {good.replace("AES256_GCM", "AES128_GCM"), "expected AES256_GCM"},
        {good + "{}", "not valid JSON"},
    };
    for (String[] c : cases) {
      Path bad = dir.resolve("bad.json");
      Files.writeString(bad, c[0]);
      assertThatThrownBy(() -> ManagedKeyset.open(bad, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK))
          .as("case %s", c[1])
          .isInstanceOf(KeysetFileException.class)
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void rotate_addsPrimary_keepsOldKeyEnabled_andPersists() throws Exception {
    ManagedKeyset keyset = create();
    KeyId first = keyset.primaryKeyId();

    KeyInfo second = keyset.rotate();

    assertThat(second.primary()).isTrue();
    assertThat(keyset.primaryKeyId()).isEqualTo(second.keyId()).isNotEqualTo(first);
    ManagedKeyset reopened = ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK);
    assertThat(reopened.inventory())
        .extracting(KeyInfo::keyId, KeyInfo::status, KeyInfo::primary)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(first, KeyStatus.ENABLED, false),
            org.assertj.core.groups.Tuple.tuple(second.keyId(), KeyStatus.ENABLED, true));
  }

  @Test
  void addKey_thenPromote_switchesPrimary() throws Exception {
    ManagedKeyset keyset = create();
    KeyId first = keyset.primaryKeyId();

    KeyInfo added = keyset.addKey();
    assertThat(added.primary()).isFalse();
    assertThat(keyset.primaryKeyId()).isEqualTo(first);

    keyset.promote(added.keyId());
    assertThat(keyset.primaryKeyId()).isEqualTo(added.keyId());
  }

  @Test
  void disable_primaryOrUnconfirmed_isRefused() throws Exception {
    ManagedKeyset keyset = create();
    KeyId first = keyset.primaryKeyId();

    assertThatThrownBy(() -> keyset.disable(first, confirm(first)))
        .isInstanceOf(KeyStateException.class)
        .hasMessageContaining("primary");

    keyset.rotate();
    KeyId unrelated = new KeyId(first.value() + 1);
    assertThatThrownBy(() -> keyset.disable(first, confirm(unrelated)))
        .isInstanceOf(KeyStateException.class)
        .hasMessageContaining("re-encryption");
    assertThatThrownBy(() -> keyset.destroy(first, ReencryptionConfirmation.confirmedByOperator(
            KeyPurpose.BLIND_INDEX, Set.of(first), "wrong purpose")))
        .isInstanceOf(KeyStateException.class);
    assertThat(keyset.inventory()).allMatch(k -> k.status() == KeyStatus.ENABLED);
  }

  @Test
  void disable_enable_destroy_lifeCycle() throws Exception {
    ManagedKeyset keyset = create();
    KeyId first = keyset.primaryKeyId();
    keyset.rotate();

    assertThat(keyset.disable(first, confirm(first)).status()).isEqualTo(KeyStatus.DISABLED);
    assertThatThrownBy(() -> keyset.promote(first)).isInstanceOf(KeyStateException.class);
    assertThat(keyset.enable(first).status()).isEqualTo(KeyStatus.ENABLED);
    assertThat(keyset.destroy(first, confirm(first)).status()).isEqualTo(KeyStatus.DESTROYED);

    ManagedKeyset reopened = ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK);
    assertThat(reopened.inventory()).hasSize(2);
    assertThat(reopened.inventory().get(0).status()).isEqualTo(KeyStatus.DESTROYED);
    assertThatThrownBy(() -> reopened.enable(first)).isInstanceOf(KeyStateException.class)
        .hasMessageContaining("destroyed");
    assertThatThrownBy(() -> reopened.disable(new KeyId(12345), confirm(new KeyId(12345))))
        .isInstanceOf(KeyStateException.class)
        .hasMessageContaining("not in the");
  }

  @Test
  void destroy_removesMaterial_soOldCiphertextsAreUnknown() throws Exception {
    ManagedKeyset keyset = create();
    FieldCipher cipher = FieldCipher.create(keyset);
    FieldContext ctx = FieldContext.of("Patient", "1", "name");
    String old = cipher.encrypt("Ada", ctx);
    KeyId first = keyset.primaryKeyId();
    keyset.rotate();

    keyset.destroy(first, confirm(first));

    assertThatThrownBy(() -> cipher.decrypt(old, ctx)).isInstanceOf(UnknownKeyException.class)
        .hasMessageContaining("destroyed");
    assertThat(new String(keyset.exportCleartextKeysetInsecure(), StandardCharsets.UTF_8))
        .doesNotContain(Integer.toUnsignedString(first.value()));
  }

  @Test
  void reload_picksUpChangesOfAnotherInstance() throws Exception {
    ManagedKeyset a = create();
    ManagedKeyset b = ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK);
    FieldCipher cipherB = FieldCipher.create(b);

    KeyInfo added = a.rotate();
    String underNewKey = FieldCipher.create(a).encrypt("x", FieldContext.of("E", "1", "f"));
    assertThatThrownBy(() -> cipherB.decrypt(underNewKey, FieldContext.of("E", "1", "f")))
        .isInstanceOf(UnknownKeyException.class);

    b.reload();
    assertThat(b.primaryKeyId()).isEqualTo(added.keyId());
    assertThat(cipherB.decrypt(underNewKey, FieldContext.of("E", "1", "f"))).isEqualTo("x");
  }

  @Test
  void change_fromStaleInstance_keepsTheOtherInstancesKey() throws Exception {
    // Two processes sharing one file: a change re-reads the file under the lock, so no key is lost.
    ManagedKeyset a = create();
    ManagedKeyset b = ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK);

    KeyInfo fromA = a.rotate();
    KeyInfo fromB = b.rotate();

    List<KeyId> ids = ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK).inventory().stream()
        .map(KeyInfo::keyId).toList();
    assertThat(ids).hasSize(3).contains(fromA.keyId(), fromB.keyId());
  }

  @Test
  void concurrentChanges_fromManyThreadsAndInstances_loseNoKey() throws Exception {
    create();
    int threads = 8;
    int rotationsEach = 5;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<List<KeyId>>> results = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          ManagedKeyset own = ManagedKeyset.openOrCreate(file, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK);
          List<KeyId> added = new java.util.ArrayList<>();
          for (int i = 0; i < rotationsEach; i++) {
            added.add(own.rotate().keyId());
          }
          return added;
        }));
      }
      java.util.Set<KeyId> expected = new java.util.HashSet<>();
      for (java.util.concurrent.Future<List<KeyId>> r : results) {
        expected.addAll(r.get(2, java.util.concurrent.TimeUnit.MINUTES));
      }

      ManagedKeyset reopened = ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK);
      assertThat(reopened.inventory()).hasSize(1 + threads * rotationsEach);
      assertThat(reopened.inventory()).extracting(KeyInfo::keyId).containsAll(expected);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void inventory_recordsCreationTimeFromTheClock() throws Exception {
    ManagedKeyset keyset = create();
    Clock later = Clock.fixed(Instant.parse("2027-01-02T03:04:05Z"), ZoneOffset.UTC);
    ManagedKeyset sameFile = ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, later);

    KeyInfo added = sameFile.rotate();

    assertThat(added.createdAt()).isEqualTo(Instant.parse("2027-01-02T03:04:05Z"));
    keyset.reload();
    assertThat(keyset.inventory()).extracting(KeyInfo::createdAt)
        .containsExactly(Instant.parse("2026-11-23T10:15:30.123Z"), Instant.parse("2027-01-02T03:04:05Z"));
  }

  @Test
  void toString_namesKeysetWithoutMaterial() throws Exception {
    ManagedKeyset keyset = create();
    assertThat(keyset.toString()).contains("field-encryption", keyset.primaryKeyId().toString());
    assertThat(kek.toString()).contains("master.key").doesNotContain(Files.readString(dir.resolve("master.key")).strip());
  }

  @Test
  void keyId_parse_roundTripsAndRefusesJunk() {
    assertThat(KeyId.parse("0a1b2c3d").toString()).isEqualTo("0a1b2c3d");
    for (int v : new int[] {0, 1, 0xf, 0x7fffffff, -1, Integer.MIN_VALUE, 0x80000001, 0x00abcdef}) {
      assertThat(new KeyId(v).toString()).isEqualTo(String.format("%08x", v));
      assertThat(KeyId.parse(new KeyId(v).toString())).isEqualTo(new KeyId(v));
    }
    assertThat(KeyId.parse("ffffffff").value()).isEqualTo(-1);
    for (String junk : new String[] {"", "0a1b2c3", "0a1b2c3d0", "0a1b2c3g", "+a1b2c3d"}) {
      assertThatThrownBy(() -> KeyId.parse(junk)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void keyId_parse_digitsOfOtherScripts_areRefused() {
    // Found by KeysetFilesFuzzTest: Character.digit reads Arabic-Indic and fullwidth digits, so "\u0660a1b2c3d"
    // named key 0a1b2c3d.
    for (String other : new String[] {"\u0660a1b2c3d", "\uff10a1b2c3d", "0a1b2c3\u0669", "\uff41a1b2c3d"}) {
      assertThatThrownBy(() -> KeyId.parse(other)).as(other).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(KeyId.parse("0A1B2C3D")).isEqualTo(KeyId.parse("0a1b2c3d"));
  }

  @Test
  void open_keyEntryNotInItsWrittenForm_isRefusedEvenWhenSealedUnderTheKek() throws Exception {
    // Found by KeysetFilesFuzzTest: an id in fullwidth or upper-case digits, or a createdAt with an offset, resealed
    // with the KEK so that the associated data matches, was read as the key it names; docs/encryption.md allows one
    // form only. (Upper-case ids are in the fuzz test's seeds, whose key ids are fixed.)
    KeyId id = create().primaryKeyId();
    byte[] original = Files.readAllBytes(file);
    StringBuilder fullwidth = new StringBuilder();
    for (char c : id.toString().toCharArray()) {
      fullwidth.append((char) (c <= '9' ? '\uff10' + (c - '0') : '\uff41' + (c - 'a')));
    }
    String[][] changes = {
        {"\"" + id + "\"", "\"" + fullwidth + "\"", "key entry is invalid"},
        {"2026-11-23T10:15:30.123Z", "2026-11-23T11:15:30.123+01:00", "written form"},
        {"2026-11-23T10:15:30.123Z", "2026-11-23T10:15:30.1230Z", "written form"}};
    for (String[] change : changes) {
      Files.write(file, resealed(original, change[0], change[1]));

      assertThatThrownBy(() -> ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK))
          .as(change[1]).isInstanceOf(KeysetFileException.class).hasMessageContaining(change[2]);
    }
    Files.write(file, resealed(original, "\"" + id + "\"", "\"" + id + "\""));
    assertThat(ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, TestKeys.CLOCK).primaryKeyId()).isEqualTo(id);
  }

  /** The keyset file with {@code from} replaced by {@code to} in its key list, sealed again to match, with the KEK. */
  private byte[] resealed(byte[] original, String from, String to) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(original);
    java.util.List<String[]> before = new java.util.ArrayList<>();
    java.util.List<String[]> after = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode k : root.get("keys")) {
      String[] f = {k.get("id").asText(), k.get("type").asText(), k.get("status").asText(),
          k.get("primary").asText(), k.get("createdAt").asText()};
      before.add(f);
      String[] g = f.clone();
      g[0] = ("\"" + g[0] + "\"").replace(from, to).replace("\"", "");
      g[4] = g[4].replace(from, to);
      after.add(g);
      ((ObjectNode) k).put("id", g[0]).put("createdAt", g[4]);
    }
    String purpose = root.get("purpose").asText();
    com.google.crypto.tink.KeysetHandle handle = com.google.crypto.tink.TinkProtoKeysetFormat.parseEncryptedKeyset(
        java.util.Base64.getDecoder().decode(root.get("encryptedKeyset").asText()), kek.aead(),
        KeysetFiles.associatedData(purpose, before), TinkRuntime.config());
    root.put("encryptedKeyset", java.util.Base64.getEncoder().encodeToString(
        com.google.crypto.tink.TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, kek.aead(),
            KeysetFiles.associatedData(purpose, after), TinkRuntime.config())));
    return json.writeValueAsBytes(root);
  }
}
