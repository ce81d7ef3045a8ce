package dev.safeguards.compliance;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.access.EmergencyAccess;
import dev.safeguards.alert.InMemoryAlertSink;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.authn.JwkSource;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.authn.TokenPolicy;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.Keyring;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Real components in a temporary directory: every safeguard on, ready to be weakened one at a time. */
final class ComplianceFixture implements AutoCloseable {

  static final String ISSUER = "https://idp.example";
  static final String AUDIENCE = "clinic-api";

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  final KeyEncryptionKey kek;
  final Keyring keyring;
  final ManagedKeyset recordKeys;
  final ManagedKeyset tokenKeys;
  final ManagedKeyset checkpointKeys;
  final TamperEvidentAuditLog auditLog;
  final RevocationList revocations;
  final InMemoryAlertSink alerts = new InMemoryAlertSink();
  final Path dir;

  ComplianceFixture(Path dir) throws Exception {
    this.dir = dir;
    kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key"));
    keyring = Keyring.openOrCreate(dir.resolve("keys"), kek, clock);
    recordKeys = ManagedKeyset.create(dir.resolve("keys/record-signing-ed25519.keyset.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, clock);
    tokenKeys = ManagedKeyset.create(dir.resolve("keys/token-signing-ed25519.keyset.json"),
        KeyPurpose.TOKEN_SIGNING_ED25519, kek, clock);
    checkpointKeys = ManagedKeyset.create(dir.resolve("keys/audit-checkpoint.keyset.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, clock);
    SigningKeyset checkpointSigner = SigningKeyset.create(checkpointKeys);
    // The log on a mount of its own: its data directory holds neither the checkpoint key nor the master key.
    auditLog = TamperEvidentAuditLog.builder(dir.resolve("audit-volume/audit"), checkpointSigner).clock(clock)
        .origin("clinic.example/audit")
        .anchor(dev.safeguards.audit.DirectoryAnchor.create(dir.resolve("anchor"), checkpointSigner))
        .open();
    revocations = RevocationList.inMemory(100, clock);
  }

  TokenPolicy.Builder tokenPolicy() {
    return TokenPolicy.builder(ISSUER, AUDIENCE, JwkSource.of(SigningKeyset.create(tokenKeys).publicJwks()))
        .requireMfa().revocations(revocations).clock(clock);
  }

  SessionTracker sessions(Duration idle) {
    return SessionTracker.create(new SessionPolicy(idle, Duration.ofHours(8)), SessionStore.inMemory(100, clock),
        revocations, clock);
  }

  EmergencyAccess emergency(AuditSink audit) {
    return EmergencyAccess.builder(clock, audit, alerts).eligibleRoles("nurse").reviewerRoles("admin")
        .permissions("patient:read").build();
  }

  AccessPolicy access(boolean withEmergency) {
    AccessPolicy.Builder b = AccessPolicy.builder().role("clinician", "patient:read").role("admin", "audit:read");
    return withEmergency ? b.emergencyAccess(emergency(auditLog)).build() : b.build();
  }

  /** Every safeguard on: the configuration whose report shows all nine specifications met. */
  Safeguards.Builder complete() {
    return Safeguards.builder()
        .tokens(TokenVerifier.create(tokenPolicy().build()))
        .sessions(sessions(Duration.ofMinutes(15)))
        .access(access(true))
        .routes(Routes.of(Route.publicRoute("GET", "/health"),
            Route.protect("GET", "/patients/{id:uuid}", "patient:read").withResource("Patient", "id")
                .withBreakGlass(true),
            Route.rolesAllowed("GET", "/audit", "admin"), Route.logout("POST", "/logout")))
        .audit(auditLog)
        .alerts(alerts)
        .encryptionAtRest(keyring)
        .signedRecords(recordKeys)
        .inventoryKeys(tokenKeys, checkpointKeys)
        .clock(clock);
  }

  @Override
  public void close() throws AuditException {
    auditLog.close();
  }
}
