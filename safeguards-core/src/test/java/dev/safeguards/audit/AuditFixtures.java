package dev.safeguards.audit;

import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.UserId;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/** Keys and events for the audit tests; keys are generated per test, never committed. */
final class AuditFixtures {

  static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
  static final UserId BOB = UserId.parse("0193b2c4-7f00-7000-8000-000000000b0b");

  private AuditFixtures() {}

  /** A fresh Ed25519 checkpoint keyset in {@code dir}. */
  static SigningKeyset checkpointKeys(Path dir, Clock clock) throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key"));
    return SigningKeyset.create(
        ManagedKeyset.create(dir.resolve("checkpoint.json"), KeyPurpose.RECORD_SIGNING_ED25519, kek, clock));
  }

  /** Fresh identity and index keysets in {@code dir}, for sealing events. */
  static AuditSealing sealing(Path dir, Clock clock) throws Exception {
    java.nio.file.Files.createDirectories(dir);
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("sealing-master.key"));
    return AuditSealing.create(
        ManagedKeyset.create(dir.resolve("audit-identity.json"), KeyPurpose.FIELD_ENCRYPTION, kek, clock),
        ManagedKeyset.create(dir.resolve("audit-index.json"), KeyPurpose.BLIND_INDEX, kek, clock));
  }

  /** The segment files of the format-1 sample log. */
  static final java.util.List<String> V1_SAMPLE = java.util.List.of("audit-000000000001.jsonl",
      "audit-000000000002.jsonl", "audit-000000000003.jsonl", "audit-000000000004.jsonl", "audit-000000000005.jsonl");

  /**
   * A copy in {@code dir} of the log the format-1 writer wrote (src/test/resources/audit-v1-sample: 30 events,
   * checkpoints every 5 records, 4 KiB segments; its public checkpoint key is {@code checkpoint-keys.jwks} there).
   */
  static Path v1Sample(Path dir) throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    for (String name : V1_SAMPLE) {
      try (java.io.InputStream in = AuditFixtures.class.getResourceAsStream("/audit-v1-sample/" + name)) {
        java.nio.file.Files.copy(in, dir.resolve(name));
      }
    }
    return dir;
  }

  /** A successful read of patient {@code n} by {@code user}. */
  static AuditEvent read(AuditEvents events, UserId user, int n) {
    return events.event(AuditAction.READ, "rest")
        .subtype("GET:/patients/{id}")
        .httpStatus(200)
        .actor(new AuditActor(Optional.of(user), Set.of("clinician"), Optional.of("clinic-web"),
            Optional.of("s-" + user.value()), Optional.of("192.0.2.7"), Optional.of("curl/8.5")))
        .purposeOfUse("TREAT")
        .entity("Patient", patient(n))
        .rule("role:clinician")
        .requestId("req-" + n)
        .build();
  }

  /**
   * An event too large for any record: 800 roles as an identity provider may name them, each of 250 non-ASCII letters
   * (6 bytes each once escaped), over a megabyte in all.
   */
  static AuditEvent tooLarge(AuditEvents events, UserId user) {
    java.util.Set<String> roles = new java.util.HashSet<>();
    for (int i = 0; i < 800; i++) {
      roles.add("\u00e9".repeat(250) + i);
    }
    return events.event(AuditAction.READ, "rest").httpStatus(200)
        .actor(new AuditActor(java.util.Optional.of(user), roles, java.util.Optional.empty(),
            java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty()))
        .build();
  }

  static String patient(int n) {
    return String.format("0193b2c4-7f00-7000-8000-%012d", n);
  }
}
