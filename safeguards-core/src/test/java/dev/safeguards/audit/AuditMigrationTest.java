package dev.safeguards.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A format-1 log still verifies, names its end, and a format-2 log continues it as one history. */
class AuditMigrationTest {

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T12:00:00Z"));

  @Test
  void theFormat1Sample_verifies_andAFormat2LogContinuesIt() throws Exception {
    Path v1 = AuditFixtures.v1Sample(tmp.resolve("v1"));
    SigningKeyset v1Keys;
    try (var in = AuditFixtures.class.getResourceAsStream("/audit-v1-sample/checkpoint-keys.jwks")) {
      v1Keys = SigningKeyset.fromPublicJwks(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    VerifiedAuditLog old = AuditLogVerifier.builder(v1Keys).build().verify(v1);
    assertThat(old.events()).isEqualTo(30);
    Format1Head head = old.head().orElseThrow();
    assertThat(head.seq()).isEqualTo(old.lastSequence());
    assertThatThrownBy(() -> TamperEvidentAuditLog.builder(v1, AuditFixtures.checkpointKeys(
        Files.createDirectory(tmp.resolve("k0")), clock)).open()).isInstanceOf(AuditException.class)
        .hasMessageContaining("format 1");

    SigningKeyset keys = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("keys")), clock);
    Path v2 = tmp.resolve("v2");
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(v2, keys).clock(clock).origin("clinic.example/audit")
        .continues(head).open()) {
      log.record(AuditFixtures.read(AuditEvents.create(clock), AuditFixtures.ALICE, 1));
    }
    VerifiedAuditLog next = AuditLogVerifier.builder(keys).build().verify(v2);
    assertThat(next.continues()).contains(head);
    assertThat(next.head()).isEmpty();

    // The continuation is in the first leaf: changing it is found like any change.
    Path segment = v2.resolve("audit-000000000001.jsonl");
    List<String> lines = Files.readAllLines(segment);
    lines.set(0, lines.get(0).replace(head.head(), "0".repeat(64)));
    Files.writeString(segment, String.join("\n", lines) + "\n");
    assertThatThrownBy(() -> AuditLogVerifier.builder(keys).build().verify(v2))
        .isInstanceOf(AuditLogTamperedException.class);
  }
}
