package dev.safeguards.benchmarks;

import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditActor;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.UserId;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/** Typical audit events (a successful read of a patient) and a checkpoint key, for the audit benchmarks. */
final class AuditFixture {

  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");

  private final AuditEvents events = AuditEvents.create(Clock.systemUTC());

  static SigningKeyset checkpointKeys(Keys keys) throws Exception {
    return SigningKeyset.create(keys.keyset("checkpoint.json", KeyPurpose.RECORD_SIGNING_ED25519));
  }

  AuditEvent read(long n) {
    return events.event(AuditAction.READ, "rest").subtype("GET:/patients/{id}").httpStatus(200)
        .actor(new AuditActor(Optional.of(ALICE), Set.of("clinician"), Optional.of("clinic-web"),
            Optional.of("s-0193b2c4"), Optional.of("192.0.2.7"), Optional.of("curl/8.5")))
        .purposeOfUse("TREAT").entity("Patient", String.format("0193b2c4-7f00-7000-8000-%012d", n))
        .rule("role:clinician").requestId("req-" + n).build();
  }
}
