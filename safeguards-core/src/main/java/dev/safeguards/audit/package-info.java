/**
 * Audit controls (164.312(b)): who did what to which record, when, from where, and whether it worked, in a log that
 * shows any change made to it.
 *
 * <p>{@link dev.safeguards.audit.AuditEvent} is the record (FHIR AuditEvent / IHE BALP aligned, identifiers only, no
 * PHI); {@link dev.safeguards.audit.AuditSink} is where it goes; {@link dev.safeguards.audit.TamperEvidentAuditLog} is
 * the embedded file log whose records are the leaves of a Merkle tree with signed-note checkpoints, {@link
 * dev.safeguards.audit.AuditLogVerifier} checks it, {@link dev.safeguards.audit.AuditProofs} proves single records,
 * and {@link dev.safeguards.audit.CheckpointAnchor}s ({@link dev.safeguards.audit.DirectoryAnchor}, {@link
 * dev.safeguards.audit.WitnessAnchor} to an {@link dev.safeguards.audit.AuditWitness}) keep its checkpoints off the
 * host. {@link dev.safeguards.audit.AuditReview} and {@link dev.safeguards.audit.BreachScope} serve the periodic log
 * review and breach notification. The file format is specified in docs/audit-log-format.md.
 */
package dev.safeguards.audit;
