package dev.safeguards.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format 1 allowed ECDSA P-256 checkpoint keys (docs/audit-log-format-v1.md section 3.3): such a log still verifies
 * with its P-256 public keys, while a format-2 log, whose checkpoints are Ed25519 notes, does not verify with them.
 */
class FormatOneP256Test {

  private static final Pattern SEGMENT_PREV = Pattern.compile("\"prev\":\"[0-9a-f]{64}\"");
  private static final Pattern SEQ = Pattern.compile("^\\{\"seq\":(\\d+),");
  private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");
  private static final Pattern LOG = Pattern.compile("\"log\":\"([0-9a-f-]{36})\"");

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T09:00:00Z"));

  @Test
  void aFormat1LogSignedWithP256_verifiesWithItsPublicKeys() throws Exception {
    SigningKeyset p256 = SigningKeyset.create(ManagedKeyset.create(tmp.resolve("p256.json"),
        KeyPurpose.RECORD_SIGNING_P256, KeyEncryptionKey.generateMasterKeyFile(tmp.resolve("master.key")), clock));
    Path log = resign(AuditFixtures.v1Sample(tmp.resolve("ed25519")), tmp.resolve("p256-log"), p256);
    SigningKeyset publicKeys = SigningKeyset.fromPublicJwks(p256.publicJwks());

    VerifiedAuditLog verified = AuditLogVerifier.builder(publicKeys).build().verify(log);

    assertThat(verified.events()).isEqualTo(30);
    assertThat(verified.checkpoints()).isPositive();
    Path v2 = tmp.resolve("v2");
    SigningKeyset ed25519 = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("keys")), clock);
    try (TamperEvidentAuditLog writer = TamperEvidentAuditLog.builder(v2, ed25519).clock(clock).open()) {
      writer.record(AuditFixtures.read(AuditEvents.create(clock), AuditFixtures.ALICE, 1));
    }
    assertThatThrownBy(() -> AuditLogVerifier.builder(publicKeys).build().verify(v2))
        .isInstanceOf(AuditLogTamperedException.class)
        .extracting(e -> ((AuditLogTamperedException) e).tampering())
        .isEqualTo(AuditLogTamperedException.Tampering.BAD_CHECKPOINT_SIGNATURE);
  }

  /**
   * The format-1 log in {@code from} with every checkpoint signed again by {@code signer}, and every chain hash (and
   * segment record's {@code prev}) computed again over the changed records, written to {@code to}.
   */
  private static Path resign(Path from, Path to, SigningKeyset signer) throws Exception {
    Files.createDirectories(to);
    byte[] prev = new byte[32];
    UUID logId = null;
    for (String name : AuditFixtures.V1_SAMPLE) {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(from.resolve(name), StandardCharsets.US_ASCII)) {
        String record = line.substring(85, line.length() - 1); // docs/audit-log-format-v1.md section 3
        long seq = Long.parseLong(match(SEQ, record));
        if (record.contains("\"kind\":\"segment\"")) {
          logId = UUID.fromString(match(LOG, record));
          record = SEGMENT_PREV.matcher(record).replaceFirst("\"prev\":\"" + HexFormat.of().formatHex(prev) + "\"");
        } else if (record.contains("\"kind\":\"checkpoint\"")) {
          SignedCheckpoint c = SignedCheckpoint.sign(signer, logId, seq - 1, prev,
              Instant.parse(match(TIME, record)));
          record = new String(AuditLogFormat.checkpointRecord(seq, c), StandardCharsets.US_ASCII);
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(prev);
        prev = sha.digest(record.getBytes(StandardCharsets.US_ASCII));
        out.add("{\"chain\":\"" + HexFormat.of().formatHex(prev) + "\",\"record\":" + record + "}");
      }
      Files.writeString(to.resolve(name), String.join("\n", out) + "\n", StandardCharsets.US_ASCII);
    }
    return to;
  }

  private static String match(Pattern p, String s) {
    Matcher m = p.matcher(s);
    if (!m.find()) {
      throw new IllegalStateException("the sample record lacks " + p);
    }
    return m.group(1);
  }
}
