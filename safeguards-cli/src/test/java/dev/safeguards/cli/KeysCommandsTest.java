package dev.safeguards.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandsTest {

  @TempDir Path tmp;
  private final TestClock clock = new TestClock("2026-11-23T10:15:30Z");
  private final Cli cli = new Cli(clock);

  private Path keys() {
    return tmp.resolve("keys");
  }

  private Path masterKey() {
    return tmp.resolve("master.key");
  }

  private void generateKeyring() {
    assertThat(cli.run("keys", "generate", keys(), "--new-master-key-file", masterKey()).exitCode()).isZero();
  }

  @Test
  void generate_newMasterKey_createsKeyringWithoutPrintingMaterial() throws Exception {
    Cli.Result r = cli.run("keys", "generate", keys(), "--new-master-key-file", masterKey());

    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("created master key file " + masterKey(),
        "created field-encryption keyset", "created blind-index keyset", "created streaming-encryption keyset");
    assertThat(keys().resolve("field-encryption.keyset.json")).exists();
    assertThat(keys().resolve("blind-index.keyset.json")).exists();
    assertThat(keys().resolve("streaming-encryption.keyset.json")).exists();
    String secret = Files.readString(masterKey(), StandardCharsets.US_ASCII).strip();
    assertThat(r.out()).doesNotContain(secret).doesNotContain(secret.substring("sg-master-key-v1:".length()));
  }

  @Test
  void generate_twice_keepsExistingKeysets() throws Exception {
    generateKeyring();
    byte[] before = Files.readAllBytes(keys().resolve("field-encryption.keyset.json"));

    Cli.Result r = cli.run("keys", "generate", keys(), "--master-key-file", masterKey());

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("kept existing field-encryption keyset").doesNotContain("created");
    assertThat(Files.readAllBytes(keys().resolve("field-encryption.keyset.json"))).isEqualTo(before);
  }

  @Test
  void generate_namedPurposes_createsOnlyThose() {
    generateKeyring();

    Cli.Result r = cli.run("keys", "generate", keys(), "--master-key-file", masterKey(),
        "--purpose", "record-signing-ed25519", "--purpose", "token-signing-p256");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out().strip().lines()).hasSize(2);
    assertThat(keys().resolve("record-signing-ed25519.keyset.json")).exists();
    assertThat(keys().resolve("token-signing-p256.keyset.json")).exists();
  }

  @Test
  void generate_newMasterKeyOverExistingKeyring_isInputProblemAndCreatesNoMasterKey() {
    generateKeyring();
    Path other = tmp.resolve("other.key");

    Cli.Result r = cli.run("keys", "generate", keys(), "--new-master-key-file", other);

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("field-encryption.keyset.json already exists");
    assertThat(other).doesNotExist();
  }

  @Test
  void generate_existingMasterKeyFileAsNew_isInputProblem() throws Exception {
    Files.writeString(masterKey(), "anything");

    Cli.Result r = cli.run("keys", "generate", keys(), "--new-master-key-file", masterKey());

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("never overwritten", masterKey().toString(), "--new-master-key-file");
  }

  @Test
  void generate_unknownPurpose_isInputProblemListingThePurposes() {
    Cli.Result r = cli.run("keys", "generate", keys(), "--new-master-key-file", masterKey(), "--purpose", "rsa");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("--purpose", "unknown key purpose 'rsa'", "record-signing-ed25519");
    assertThat(masterKey()).doesNotExist();
  }

  @Test
  void generate_bothMasterKeyOptions_isUsageError() {
    Cli.Result r = cli.run("keys", "generate", keys(), "--master-key-file", masterKey(),
        "--new-master-key-file", tmp.resolve("new.key"));

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.oneErrorLine()).contains("--master-key-file", "--new-master-key-file");
  }

  @Test
  void generate_malformedMasterKeyFile_isInputProblem() throws Exception {
    Files.writeString(masterKey(), "not a key\n");

    Cli.Result r = cli.run("keys", "generate", keys(), "--master-key-file", masterKey());

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains(masterKey().toString(), "is not a master key").doesNotContain("not a key\n");
  }

  @Test
  void generate_missingMasterKeyFile_isInputProblem() {
    Cli.Result r = cli.run("keys", "generate", keys(), "--master-key-file", tmp.resolve("absent.key"));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("master key file not found", "absent.key");
  }

  @Test
  void rotate_keysetFile_addsNewPrimaryAndKeepsOldKey() throws Exception {
    generateKeyring();
    Path file = keys().resolve("field-encryption.keyset.json");
    KeyEncryptionKey kek = KeyEncryptionKey.fromMasterKeyFile(masterKey());
    String oldPrimary = ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, clock).primaryKeyId().toString();

    Cli.Result r = cli.run("keys", "rotate", file, "--master-key-file", masterKey());

    assertThat(r.exitCode()).isZero();
    ManagedKeyset rotated = ManagedKeyset.open(file, KeyPurpose.FIELD_ENCRYPTION, kek, clock);
    assertThat(rotated.inventory()).hasSize(2);
    assertThat(rotated.primaryKeyId().toString()).isNotEqualTo(oldPrimary);
    assertThat(r.out()).contains("new primary key " + rotated.primaryKeyId(), oldPrimary + " stays enabled");
  }

  @Test
  void rotate_fileNamedWithoutPurpose_readsPurposeFromItsMetadata() throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(masterKey());
    Path file = tmp.resolve("audit-checkpoint.json");
    ManagedKeyset.create(file, KeyPurpose.RECORD_SIGNING_ED25519, kek, clock);

    Cli.Result r = cli.run("keys", "rotate", file, "--master-key-file", masterKey());

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("rotated record-signing-ed25519 keyset", "safeguards keys public");
  }

  @Test
  void rotate_wrongMasterKey_isInputProblemNamingTheFile() throws Exception {
    generateKeyring();
    Path wrong = tmp.resolve("wrong.key");
    KeyEncryptionKey.generateMasterKeyFile(wrong);
    Path file = keys().resolve("blind-index.keyset.json");
    byte[] before = Files.readAllBytes(file);

    Cli.Result r = cli.run("keys", "rotate", file, "--master-key-file", wrong);

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains(file.toString(), "key-encryption key is wrong");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void rotate_malformedKeysetFile_isInputProblem() throws Exception {
    generateKeyring();
    Path file = keys().resolve("field-encryption.keyset.json");
    Files.writeString(file, "{\"format\":\"safeguards-keyset/v1\",\"purpose\":\"field-encryption\"}");

    Cli.Result r = cli.run("keys", "rotate", file, "--master-key-file", masterKey());

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("malformed keyset file", file.toString());
  }

  @Test
  void rotate_fileOfUnknownPurpose_isInputProblem() throws Exception {
    KeyEncryptionKey.generateMasterKeyFile(masterKey());
    Path file = Files.writeString(tmp.resolve("keys.json"), "[]");

    Cli.Result r = cli.run("keys", "rotate", file, "--master-key-file", masterKey());

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("cannot tell the purpose of keyset file", file.toString());
  }

  @Test
  void rotate_missingFile_isInputProblem() {
    Cli.Result r = cli.run("keys", "rotate", tmp.resolve("absent.keyset.json"), "--master-key-file", masterKey());

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("keyset file not found", "absent.keyset.json");
  }

  @Test
  void list_directory_showsInventoryWithAgeAndNoMaterial() throws Exception {
    generateKeyring();
    cli.run("keys", "generate", keys(), "--master-key-file", masterKey(), "--purpose", "record-signing-ed25519");
    clock.advance(Duration.ofDays(40));
    cli.run("keys", "rotate", keys().resolve("field-encryption.keyset.json"), "--master-key-file", masterKey());
    clock.advance(Duration.ofDays(5));

    Cli.Result r = cli.run("keys", "list", keys(), "--master-key-file", masterKey());

    assertThat(r.exitCode()).isZero();
    assertThat(r.out().lines().toList()).hasSize(6);
    assertThat(r.out().lines().findFirst().orElseThrow())
        .contains("PURPOSE", "KEY ID", "STATUS", "PRIMARY", "CREATED", "AGE");
    assertThat(r.out()).containsPattern("field-encryption +[0-9a-f]{8} +enabled +no +2026-11-23T10:15:30Z +45d")
        .containsPattern("field-encryption +[0-9a-f]{8} +enabled +yes +2027-01-02T10:15:30Z +5d")
        .containsPattern("record-signing-ed25519 [0-9a-f]{8} +enabled +yes .* 45d");
    String sealed = Files.readString(keys().resolve("field-encryption.keyset.json"));
    String material = sealed.substring(sealed.indexOf("\"encryptedKeyset\""));
    assertThat(r.out()).doesNotContain(material.substring(22, 60));
  }

  @Test
  void list_singleFile_showsItsKeys() {
    generateKeyring();

    Cli.Result r = cli.run("keys", "list", keys().resolve("blind-index.keyset.json"), "--master-key-file", masterKey());

    assertThat(r.exitCode()).isZero();
    assertThat(r.out().lines().toList()).hasSize(2);
    assertThat(r.out()).contains("blind-index");
  }

  @Test
  void list_directoryWithoutKeysets_isInputProblem() throws Exception {
    KeyEncryptionKey.generateMasterKeyFile(masterKey());
    Files.createDirectories(keys());

    Cli.Result r = cli.run("keys", "list", keys(), "--master-key-file", masterKey());

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("no keyset files", keys().toString());
  }

  @Test
  void list_missingPath_isInputProblem() {
    Cli.Result r = cli.run("keys", "list", tmp.resolve("nowhere"), "--master-key-file", masterKey());

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("key directory or keyset file not found", "nowhere");
  }

  @Test
  void public_signingKeyset_printsJwksThatVerifiers() {
    generateKeyring();
    cli.run("keys", "generate", keys(), "--master-key-file", masterKey(), "--purpose", "record-signing-ed25519");

    Cli.Result r = cli.run("keys", "public", keys().resolve("record-signing-ed25519.keyset.json"),
        "--master-key-file", masterKey());

    assertThat(r.exitCode()).isZero();
    assertThat(SigningKeyset.fromPublicJwks(r.out()).algorithm()).isEqualTo("Ed25519");
    assertThat(r.out()).doesNotContain("\"d\"");
  }

  @Test
  void public_encryptionKeyset_isInputProblem() {
    generateKeyring();

    Cli.Result r = cli.run("keys", "public", keys().resolve("field-encryption.keyset.json"),
        "--master-key-file", masterKey());

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("field-encryption keys, which have no public keys");
  }
}
