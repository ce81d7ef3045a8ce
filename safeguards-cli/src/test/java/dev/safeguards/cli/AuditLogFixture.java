package dev.safeguards.cli;

import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditActor;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.audit.AuditCheckpoint;
import dev.safeguards.audit.AuditSealing;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.UserId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A real audit log written by {@link TamperEvidentAuditLog}, with a checkpoint key of its own and its public keys in a
 * .pub file. Events, one minute apart from 2026-11-23T10:00:00Z (seq 1 is the segment record):
 *
 * <pre>
 * seq 2  10:00  alice  read   Patient/p-1  success 200  session s-alice  address 192.0.2.7
 * seq 3  10:01  alice  read   Patient/p-2  success 200  session s-alice  address 192.0.2.7
 * seq 4  10:02  bob    read   Patient/p-3  success 200  session s-bob    address 198.51.100.9
 * seq 5  10:03  alice  update Patient/p-2  denied  403  session s-alice  address 192.0.2.7
 * seq 6  10:04  bob    read   Patient/p-1  success 200  session s-bob    address 198.51.100.9, emergency grant g-1
 * seq 7  10:05  alice  read   Encounter/e-9 success 200 session s-alice  address 192.0.2.7
 * seq 8  checkpoint, written on close
 * </pre>
 */
final class AuditLogFixture {

  static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
  static final UserId BOB = UserId.parse("0193b2c4-7f00-7000-8000-000000000b0b");

  final SigningKeyset signer;
  final Path directory;
  final Path publicKey;
  final Path segment;
  final List<AuditCheckpoint> checkpoints = new java.util.concurrent.CopyOnWriteArrayList<>();
  final Path masterKey;
  /** The keys the events' identities are sealed with; null for a log in the clear. */
  final AuditSealing sealing;

  AuditLogFixture(Path tmp, TestClock clock) throws Exception {
    this(tmp, clock, false);
  }

  /** The log; {@code sealed}: its identities sealed under keysets in {@code tmp} (see {@link #sealingOptions}). */
  AuditLogFixture(Path tmp, TestClock clock, boolean sealed) throws Exception {
    masterKey = tmp.resolve("audit-master.key");
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(masterKey);
    sealing = !sealed ? null : AuditSealing.create(
        ManagedKeyset.create(tmp.resolve("audit-identity.keyset.json"), KeyPurpose.FIELD_ENCRYPTION, kek, clock),
        ManagedKeyset.create(tmp.resolve("audit-index.keyset.json"), KeyPurpose.BLIND_INDEX, kek, clock));
    signer = SigningKeyset.create(ManagedKeyset.create(
        tmp.resolve("audit-checkpoint.keyset.json"), KeyPurpose.RECORD_SIGNING_ED25519, kek, clock));
    publicKey = Files.writeString(tmp.resolve("audit-checkpoint.pub"), signer.publicJwks());
    directory = tmp.resolve("audit");
    segment = directory.resolve("audit-000000000001.jsonl");
    AuditEvents events = AuditEvents.create(clock);
    TamperEvidentAuditLog.Builder builder = TamperEvidentAuditLog.builder(directory, signer).clock(clock)
        .checkpointInterval(Duration.ofHours(1)).onCheckpoint(checkpoints::add);
    if (sealing != null) {
      builder.sealIdentities(sealing);
    }
    try (TamperEvidentAuditLog log = builder.open()) {
      log.record(event(events, AuditAction.READ, ALICE, "Patient", "p-1", 200, null));
      clock.advance(Duration.ofMinutes(1));
      log.record(event(events, AuditAction.READ, ALICE, "Patient", "p-2", 200, null));
      clock.advance(Duration.ofMinutes(1));
      log.record(event(events, AuditAction.READ, BOB, "Patient", "p-3", 200, null));
      clock.advance(Duration.ofMinutes(1));
      log.record(event(events, AuditAction.UPDATE, ALICE, "Patient", "p-2", 403, null));
      clock.advance(Duration.ofMinutes(1));
      log.record(event(events, AuditAction.READ, BOB, "Patient", "p-1", 200, "g-1"));
      clock.advance(Duration.ofMinutes(1));
      log.record(event(events, AuditAction.READ, ALICE, "Encounter", "e-9", 200, null));
    }
  }

  private static AuditEvent event(AuditEvents events, AuditAction action, UserId user, String type, String id,
      int status, String grant) {
    String name = user.equals(ALICE) ? "alice" : "bob";
    AuditEvent.Builder b = events.event(action, "rest")
        .subtype((action == AuditAction.READ ? "GET" : "PUT") + ":/" + type.toLowerCase() + "s/{id}")
        .httpStatus(status)
        .actor(new AuditActor(Optional.of(user), Set.of("clinician"), Optional.of("clinic-web"),
            Optional.of("s-" + name), Optional.of(user.equals(ALICE) ? "192.0.2.7" : "198.51.100.9"),
            Optional.of("curl/8.5")))
        .purposeOfUse(grant == null ? "TREAT" : "ETREAT")
        .entity(type, id)
        .rule("role:clinician")
        .requestId("req-" + id);
    if (grant != null) {
      b.emergencyGrant(grant).justification("unconscious patient in the emergency room");
    }
    return b.build();
  }

  /** The options that give a command this log's sealing keys. */
  List<Object> sealingOptions() {
    return List.of("--identity-keyset", sealing.identityKeys().file(), "--index-keyset", sealing.indexKeys().file(),
        "--master-key-file", masterKey);
  }

  /** The origin of the log in {@code directory}, from its published checkpoint. */
  static String origin(Path directory) throws Exception {
    return dev.safeguards.audit.AuditProofs.published(directory).origin();
  }

  /** The lines of the only segment. */
  List<String> lines() throws Exception {
    return new ArrayList<>(Files.readAllLines(segment, StandardCharsets.US_ASCII));
  }

  void write(List<String> lines) throws Exception {
    Files.writeString(segment, String.join("\n", lines) + "\n", StandardCharsets.US_ASCII);
  }

  /** Writes the last checkpoint's text form to a file, as a copy kept off the host. */
  Path keptCheckpoint(Path file) throws Exception {
    return Files.writeString(file, checkpoints.get(checkpoints.size() - 1).note(), StandardCharsets.UTF_8);
  }
}
