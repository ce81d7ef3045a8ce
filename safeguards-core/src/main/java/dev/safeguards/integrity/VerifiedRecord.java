package dev.safeguards.integrity;

import dev.safeguards.crypto.KeyId;
import dev.safeguards.identity.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * A record version whose signature {@link RecordVerifier} checked: who wrote it, which version, when, and under which
 * key. Only the verifier makes these.
 *
 * @param record the record
 * @param version the version the signature covers
 * @param author the user who signed it
 * @param signedAt when it was signed
 * @param keyId the key that signed it
 */
public record VerifiedRecord(RecordRef record, long version, UserId author, Instant signedAt, KeyId keyId) {

  /**
   * Checks every component. The constructor is public, as a record's must be: a value made elsewhere proves nothing,
   * so trust only those {@link RecordVerifier} returns.
   *
   * @param record the record; not null
   * @param version the version the signature covers; 1 or more
   * @param author the user who signed it; not null
   * @param signedAt when it was signed; not null
   * @param keyId the key that signed it; not null
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if the version is below 1
   */
  public VerifiedRecord {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(signedAt, "signedAt");
    Objects.requireNonNull(keyId, "keyId");
    if (version < 1) {
      throw new IllegalArgumentException("versions start at 1");
    }
  }
}
