package dev.safeguards.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit migrate} on the format-1 log the old writer wrote (safeguards-core/src/test/resources/audit-v1-sample,
 * read from the source tree: the core test jar would bring its own logging provider along).
 */
class AuditMigrateCommandTest {

  private static final List<String> SEGMENTS = List.of("audit-000000000001.jsonl", "audit-000000000002.jsonl",
      "audit-000000000003.jsonl", "audit-000000000004.jsonl", "audit-000000000005.jsonl");

  @TempDir Path tmp;
  private final TestClock clock = new TestClock("2026-12-05T12:00:00Z");
  private final Cli cli = new Cli(clock);
  private Path v1;
  private Path v1Key;
  private Path masterKey;
  private Path keyset;

  @BeforeEach
  void copyTheSample() throws Exception {
    v1 = Files.createDirectory(tmp.resolve("v1"));
    Path sample = Path.of("..", "safeguards-core", "src", "test", "resources", "audit-v1-sample");
    for (String s : SEGMENTS) {
      Files.copy(sample.resolve(s), v1.resolve(s));
    }
    v1Key = Files.copy(sample.resolve("checkpoint-keys.jwks"), tmp.resolve("v1.jwks"));
    masterKey = tmp.resolve("master.key");
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(masterKey);
    keyset = tmp.resolve("record-signing-ed25519.keyset.json");
    ManagedKeyset.create(keyset, KeyPurpose.RECORD_SIGNING_ED25519, kek, clock);
  }

  private Cli.Result migrate(Path to) {
    return cli.run("audit", "migrate", v1, "--public-key", v1Key, "--to", to, "--checkpoint-keyset", keyset,
        "--origin", "clinic.example/audit", "--master-key-file", masterKey);
  }

  @Test
  void aVerifiedFormat1Log_isContinuedByANewFormat2Log_thatVerifies() throws Exception {
    Cli.Result r = migrate(tmp.resolve("v2"));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("continues format-1 log", "after its record");
    Path pub = Files.writeString(tmp.resolve("v2.pub"), SigningKeyset.create(ManagedKeyset.open(keyset,
        KeyPurpose.RECORD_SIGNING_ED25519, KeyEncryptionKey.fromMasterKeyFile(masterKey), clock)).publicJwks());
    Cli.Result verified = cli.run("audit", "verify", tmp.resolve("v2"), "--public-key", pub);
    assertThat(verified.exitCode()).as(verified.err()).isZero();
    assertThat(Files.readString(tmp.resolve("v2/audit-000000000001.jsonl"))).contains("\"continues\":{\"log\":\"");
  }

  @Test
  void aDamagedFormat1Log_isNotContinued_andANonEmptyTargetIsRefused() throws Exception {
    Path first = v1.resolve(SEGMENTS.get(0));
    byte[] bytes = Files.readAllBytes(first);
    bytes[300] ^= 1;
    Files.write(first, bytes);
    assertThat(migrate(tmp.resolve("v2")).exitCode()).isEqualTo(1);
    assertThat(tmp.resolve("v2")).doesNotExist();

    Path busy = Files.createDirectory(tmp.resolve("busy"));
    Files.writeString(busy.resolve("x"), "x");
    Cli.Result r = migrate(busy);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("not empty");
  }
}
