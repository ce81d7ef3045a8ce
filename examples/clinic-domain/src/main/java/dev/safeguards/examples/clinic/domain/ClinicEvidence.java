package dev.safeguards.examples.clinic.domain;

import dev.safeguards.Safeguards;
import dev.safeguards.audit.AuditSealing;
import dev.safeguards.compliance.Specification;
import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.crypto.Keyring;
import dev.safeguards.crypto.ManagedKeyset;

/**
 * What the clinic does beside the gate, declared to its {@link Safeguards} so that the compliance report shows it:
 * PHI encrypted at rest with the data directory's keyring (164.312(a)(2)(iv)), patient records signed
 * (164.312(c)(2)), every key's age (the token-signing and audit keys too), and why the demo's local token keys pass.
 */
public final class ClinicEvidence {

  private final Keyring keyring;
  private final ManagedKeyset records;
  private final ManagedKeyset[] others;

  private ClinicEvidence(Keyring keyring, ManagedKeyset records, ManagedKeyset... others) {
    this.keyring = keyring;
    this.records = records;
    this.others = others;
  }

  /** The evidence of the keys in {@code data}. */
  public static ClinicEvidence of(DataDirectory data) throws KeyManagementException {
    AuditSealing sealing = data.auditSealing();
    return new ClinicEvidence(data.keyring(), data.recordSigningKeyset(), data.tokenSigningKeyset(),
        data.auditCheckpointKeyset(), sealing.identityKeys(), sealing.indexKeys());
  }

  /** Declares it to {@code safeguards}. */
  public Safeguards.Builder declareTo(Safeguards.Builder safeguards) {
    return safeguards
        .encryptionAtRest(keyring)
        .signedRecords(records)
        .inventoryKeys(others)
        .rationale(Specification.PERSON_OR_ENTITY_AUTHENTICATION, DemoIdentityProvider.RATIONALE);
  }
}
