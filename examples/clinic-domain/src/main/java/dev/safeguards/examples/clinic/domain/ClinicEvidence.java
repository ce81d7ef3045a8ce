package dev.safeguards.examples.clinic.domain;

import dev.safeguards.Safeguards;
import dev.safeguards.audit.AuditSealing;
import dev.safeguards.compliance.Specification;
import dev.safeguards.crypto.KeyManagementException;

/**
 * What the clinic does beside the gate, declared to its {@link Safeguards} so that the compliance report shows it:
 * PHI encrypted at rest with the data directory's keyring (164.312(a)(2)(iv)), patient records signed
 * (164.312(c)(2)), and every key's age (the token-signing and audit keys too).
 */
public final class ClinicEvidence {

  private ClinicEvidence() {}

  /** Declares the clinic's evidence, from the keys in {@code data}, to {@code safeguards}. */
  public static Safeguards.Builder declare(Safeguards.Builder safeguards, DataDirectory data)
      throws KeyManagementException {
    AuditSealing sealing = data.auditSealing();
    return safeguards
        .encryptionAtRest(data.keyring())
        .signedRecords(data.recordSigningKeyset())
        .inventoryKeys(data.tokenSigningKeyset(), data.auditCheckpointKeyset(), sealing.identityKeys(),
            sealing.indexKeys())
        .rationale(Specification.PERSON_OR_ENTITY_AUTHENTICATION, DemoIdentityProvider.RATIONALE);
  }
}
