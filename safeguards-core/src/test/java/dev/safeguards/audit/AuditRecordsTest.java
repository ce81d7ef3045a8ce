package dev.safeguards.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.testing.MutableClock;
import dev.safeguards.tlog.Checkpoint;
import dev.safeguards.tlog.Frontier;
import dev.safeguards.tlog.Merkle;
import dev.safeguards.tlog.NoteSigner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log written by another writer from {@link AuditRecords} and the public tree and note classes alone (as a log kept
 * in a database is exported) verifies with {@link AuditLogVerifier}, sealed identities included; and a record changed
 * in it is found.
 */
class AuditRecordsTest {

  private static final String ORIGIN = "clinic.example/audit";

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

  @Test
  void aLogWrittenFromTheRecords_verifiesWithTheFileVerifier() throws Exception {
    SigningKeyset keys = AuditFixtures.checkpointKeys(tmp, clock);
    AuditSealing sealing = AuditFixtures.sealing(tmp.resolve("sealing"), clock);
    Path log = write(keys, sealing, 25);

    VerifiedAuditLog verified = AuditLogVerifier.builder(keys).build().verify(log);

    assertThat(verified.events()).isEqualTo(25);
    assertThat(verified.checkpoints()).isEqualTo(3); // after 10 and 20 events, and at the end
    assertThat(verified.unsignedTail()).isZero();
    assertThat(verified.origin()).isEqualTo(ORIGIN);
  }

  @Test
  void aRecordChangedAfterItsCheckpoint_isFound() throws Exception {
    SigningKeyset keys = AuditFixtures.checkpointKeys(tmp, clock);
    Path log = write(keys, null, 25);
    Path segment = log.resolve(AuditRecords.segmentFileName(1));
    String text = Files.readString(segment, StandardCharsets.US_ASCII);
    Files.writeString(segment, text.replace("req-7\"", "req-8\""), StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> AuditLogVerifier.builder(keys).build().verify(log))
        .isInstanceOf(AuditLogTamperedException.class);
  }

  @Test
  void badArguments_areRefused() {
    assertThatThrownBy(() -> AuditRecords.event(0, new byte[] {'{', '}'})).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditRecords.checkpoint(1, "note")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditRecords.segmentFileName(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditRecords.segment(1, "has space", java.util.UUID.randomUUID(), 1, clock.instant()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Segment 1: its record, {@code events} events, a checkpoint after every 10 and at the end; the checkpoint file. */
  private Path write(SigningKeyset keys, AuditSealing sealing, int events) throws Exception {
    Path log = Files.createDirectory(tmp.resolve("log"));
    AuditEvents factory = AuditEvents.create(clock);
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    Frontier tree = new Frontier();
    String note = null;
    long seq = 0;
    seq = append(lines, tree, AuditRecords.segment(++seq, ORIGIN, UUID.randomUUID(), 1, clock.instant()));
    for (int i = 1; i <= events; i++) {
      byte[] event = AuditRecords.eventObject(AuditFixtures.read(factory, AuditFixtures.ALICE, i), sealing, ORIGIN);
      seq = append(lines, tree, AuditRecords.event(seq + 1, event));
      if (i % 10 == 0 || i == events) {
        note = new String(Checkpoint.of(ORIGIN, tree.size(), tree.root()).sign(NoteSigner.over(ORIGIN, keys))
            .encode(), StandardCharsets.UTF_8);
        seq = append(lines, tree, AuditRecords.checkpoint(seq + 1, note));
      }
    }
    Files.write(log.resolve(AuditRecords.segmentFileName(1)), lines.toByteArray());
    Files.writeString(log.resolve("checkpoint"), note, StandardCharsets.UTF_8);
    return log;
  }

  private static long append(ByteArrayOutputStream lines, Frontier tree, byte[] record) {
    lines.writeBytes(record);
    lines.write('\n');
    tree.append(Merkle.leafHash(record));
    return tree.size();
  }
}
