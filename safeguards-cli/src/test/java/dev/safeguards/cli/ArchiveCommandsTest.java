package dev.safeguards.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.crypto.KeyEncryptionKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveCommandsTest {

  @TempDir Path tmp;
  private final TestClock clock = new TestClock("2026-11-23T10:15:30Z");
  private final Cli cli = new Cli(clock);
  private Path keys;
  private Path masterKey;
  private Path data;
  private Path archive;

  @BeforeEach
  void keysAndData() throws Exception {
    keys = tmp.resolve("keys");
    masterKey = tmp.resolve("master.key");
    assertThat(cli.run("keys", "generate", keys, "--new-master-key-file", masterKey).exitCode()).isZero();
    data = Files.createDirectories(tmp.resolve("export"));
    Files.writeString(data.resolve("patients.jsonl"), "{\"id\":\"p-1\"}\n");
    Files.createDirectories(data.resolve("audit"));
    Files.write(data.resolve("audit/audit-000000000001.jsonl"), new byte[200_000]);
    Files.writeString(tmp.resolve("notes.txt"), "restore drill");
    archive = tmp.resolve("backup-2026-11-23.sga");
  }

  private Cli.Result create() {
    return cli.run("archive", "create", archive, "--keys", keys, "--master-key-file", masterKey, data,
        tmp.resolve("notes.txt"));
  }

  @Test
  void createVerifyRestore_roundTrip_restoresEveryFile() throws Exception {
    Cli.Result created = create();
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).contains("sealed archive " + archive + " written: 3 entries",
        "export/audit/audit-000000000001.jsonl", "export/patients.jsonl", "notes.txt", "created 2026-11-23T10:15:30Z");

    Cli.Result verified = cli.run("archive", "verify", archive, "--keys", keys, "--master-key-file", masterKey);
    assertThat(verified.exitCode()).isZero();
    assertThat(verified.out()).contains("archive " + archive + " intact: 3 entries, 200026 bytes");

    Path restored = tmp.resolve("restored");
    Cli.Result r = cli.run("archive", "restore", archive, "--keys", keys, "--master-key-file", masterKey,
        "--to", restored);
    assertThat(r.exitCode()).isZero();
    assertThat(restored.resolve("export/patients.jsonl")).hasSameTextualContentAs(data.resolve("patients.jsonl"));
    assertThat(restored.resolve("export/audit/audit-000000000001.jsonl"))
        .hasSameBinaryContentAs(data.resolve("audit/audit-000000000001.jsonl"));
    assertThat(restored.resolve("notes.txt")).hasContent("restore drill");
  }

  @Test
  void verify_tamperedArchive_exitsOneAndRestoreLeavesNothing() throws Exception {
    assertThat(create().exitCode()).isZero();
    byte[] bytes = Files.readAllBytes(archive);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(archive, bytes);

    Cli.Result verified = cli.run("archive", "verify", archive, "--keys", keys, "--master-key-file", masterKey);
    Path restored = tmp.resolve("restored");
    Cli.Result r = cli.run("archive", "restore", archive, "--keys", keys, "--master-key-file", masterKey,
        "--to", restored);

    assertThat(verified.exitCode()).isEqualTo(1);
    assertThat(verified.oneErrorLine()).contains(archive.toString(), "failed authentication");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.oneErrorLine()).contains(archive.toString());
    assertThat(restored).doesNotExist();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("restore"));
    }
  }

  @Test
  void verify_archiveOfAnotherKeyring_exitsOneNamingTheKey() throws Exception {
    assertThat(create().exitCode()).isZero();
    Path otherKeys = tmp.resolve("other-keys");
    Path otherMaster = tmp.resolve("other.key");
    cli.run("keys", "generate", otherKeys, "--new-master-key-file", otherMaster);

    Cli.Result r = cli.run("archive", "verify", archive, "--keys", otherKeys, "--master-key-file", otherMaster);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.oneErrorLine()).contains(archive.toString(), "wrong keyring?");
  }

  @Test
  void verify_wrongMasterKey_isInputProblem() throws Exception {
    assertThat(create().exitCode()).isZero();
    Path wrong = tmp.resolve("wrong.key");
    KeyEncryptionKey.generateMasterKeyFile(wrong);

    Cli.Result r = cli.run("archive", "verify", archive, "--keys", keys, "--master-key-file", wrong);

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("streaming-encryption.keyset.json", "key-encryption key is wrong");
  }

  @Test
  void verify_missingArchive_isInputProblem() {
    Cli.Result r = cli.run("archive", "verify", tmp.resolve("absent.sga"), "--keys", keys,
        "--master-key-file", masterKey);

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("archive not found", "absent.sga");
  }

  @Test
  void verify_keyDirectoryWithoutStreamingKeyset_isInputProblem() throws Exception {
    assertThat(create().exitCode()).isZero();
    Files.delete(keys.resolve("streaming-encryption.keyset.json"));

    Cli.Result r = cli.run("archive", "verify", archive, "--keys", keys, "--master-key-file", masterKey);

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("streaming-encryption keyset file not found");
  }

  @Test
  void create_existingArchive_isInputProblemAndLeavesItAlone() throws Exception {
    Files.writeString(archive, "precious");

    Cli.Result r = create();

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("already exists and is never overwritten", archive.toString());
    assertThat(archive).hasContent("precious");
  }

  @Test
  void create_missingInput_isInputProblemAndWritesNoArchive() {
    Cli.Result r = cli.run("archive", "create", archive, "--keys", keys, "--master-key-file", masterKey,
        tmp.resolve("absent.csv"));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("file to archive not found", "absent.csv");
    assertThat(archive).doesNotExist();
  }

  @Test
  void create_fileNameNotAllowedInArchive_isInputProblemAndLeavesNothing() throws Exception {
    Files.writeString(data.resolve("John Smith.txt"), "x");

    Cli.Result r = create();

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("cannot archive", "entry name");
    assertThat(archive).doesNotExist();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("backup"));
    }
  }

  @Test
  void restore_existingTarget_isInputProblem() throws IOException {
    assertThat(create().exitCode()).isZero();
    Path target = Files.createDirectories(tmp.resolve("restored"));

    Cli.Result r = cli.run("archive", "restore", archive, "--keys", keys, "--master-key-file", masterKey,
        "--to", target);

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("--to", "already exists", target.toString());
  }

  @Test
  void restore_withoutTarget_isUsageError() {
    Cli.Result r = cli.run("archive", "restore", archive, "--keys", keys);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.oneErrorLine()).contains("--to");
  }
}
