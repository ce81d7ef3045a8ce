package dev.safeguards.cli;

import static dev.safeguards.cli.AuditLogFixture.ALICE;
import static dev.safeguards.cli.AuditLogFixture.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ReencryptionConfirmation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit search} and {@code audit scope} over a log whose identities are sealed, and {@code audit verify}. */
class SealedAuditCommandsTest {

  @TempDir Path tmp;
  private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
  private final Cli cli = new Cli(clock);
  private AuditLogFixture log;

  @BeforeEach
  void writeLog() throws Exception {
    log = new AuditLogFixture(tmp, clock, true);
  }

  private Cli.Result run(String command, Object... options) {
    List<Object> args = new ArrayList<>(List.of("audit", command, log.directory));
    args.addAll(List.of(options));
    args.addAll(log.sealingOptions());
    return cli.run(args.toArray());
  }

  @Test
  void theLog_holdsNoIdentifier_andVerifiesWithThePublicKeyAlone() throws Exception {
    String text = Files.readString(log.segment, StandardCharsets.US_ASCII);
    assertThat(List.of(ALICE.toString(), BOB.toString(), "\"id\":\"p-", "s-alice", "192.0.2.7", "unconscious"))
        .allSatisfy(id -> assertThat(text).doesNotContain(id));

    Cli.Result r = cli.run("audit", "verify", log.directory, "--public-key", log.publicKey);
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void search_withTheKeys_findsWhatTheClearLogWould() {
    Cli.Result r = run("search", "--user", BOB);

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out().lines()).hasSize(2).allSatisfy(l -> assertThat(l).contains("user=" + BOB));
    assertThat(run("search", "--resource", "Patient/p-2", "--session", "s-alice").out().lines()).hasSize(2);
    assertThat(run("search", "--address", "192.0.2.7", "--action", "update").out().lines()).singleElement()
        .asString().contains("update minor-failure/403 Patient/p-2");
  }

  @Test
  void search_withoutTheKeys_isAnInputProblemNamingTheOptions() {
    Cli.Result r = cli.run("audit", "search", log.directory);

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("sealed", "--identity-keyset", "--index-keyset");
  }

  @Test
  void search_withOnlyOneKeyset_isAnInputProblem() {
    Cli.Result r = cli.run("audit", "search", log.directory, "--identity-keyset", log.sealing.identityKeys().file(),
        "--master-key-file", log.masterKey);

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("--identity-keyset and --index-keyset go together");
  }

  @Test
  void scope_afterTheIdentityKeyIsDestroyed_saysHowManyEventsDoNotOpen() throws Exception {
    Cli.Result before = run("scope", "--user", ALICE);
    assertThat(before.exitCode()).as(before.err()).isZero();
    assertThat(before.out()).startsWith("{\"events\":4,\"unreadable\":0,").contains("\"id\":\"p-2\"");

    KeyId old = log.sealing.identityKeys().primaryKeyId();
    log.sealing.identityKeys().rotate();
    log.sealing.identityKeys().destroy(old, ReencryptionConfirmation.confirmedByOperator(
        KeyPurpose.FIELD_ENCRYPTION, Set.of(old), "audit retention ended"));

    Cli.Result after = run("scope", "--user", ALICE);
    assertThat(after.exitCode()).as(after.err()).isZero();
    assertThat(after.out()).startsWith("{\"events\":0,\"unreadable\":4,\"resources\":[]}");
    assertThat(after.err()).contains("4 sealed event(s) may match but do not open with these keys");
  }
}
