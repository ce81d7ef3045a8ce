package dev.safeguards.crypto;

import java.util.Objects;
import java.util.Set;

/**
 * Evidence that no data remains encrypted under some keys, which {@link ManagedKeyset#disable} and
 * {@link ManagedKeyset#destroy} require before they retire a key (164.312(a)(2)(iv): nothing may become unreadable by
 * accident).
 *
 * <p>A {@link ReencryptionJob} issues one when a run has moved every value of its source to the primary key without a
 * failure. When data was moved by other means, an operator states it explicitly with {@link #confirmedByOperator}.
 * A job's confirmation speaks for one source only: when several tables hold values under a key, run a job over each
 * before retiring it.
 */
public final class ReencryptionConfirmation {

  private final KeyPurpose purpose;
  private final Set<KeyId> keyIds;
  private final String basis;

  ReencryptionConfirmation(KeyPurpose purpose, Set<KeyId> keyIds, String basis) {
    this.purpose = Objects.requireNonNull(purpose, "purpose");
    this.keyIds = Set.copyOf(keyIds);
    this.basis = Objects.requireNonNull(basis, "basis");
  }

  /**
   * An operator's statement that no value remains under {@code keyIds} (for example: the data was re-encrypted by
   * another tool, or deleted). The reason is kept for the audit trail; it must not contain PHI.
   *
   * @param purpose the purpose of the keyset the keys belong to; not null
   * @param keyIds the keys under which no value remains; copied, at least one, none null
   * @param reason why no value remains; stripped, and kept as {@code operator: <reason>} in {@link #basis()}
   * @return the confirmation
   * @throws NullPointerException if an argument or a key id is null
   * @throws IllegalArgumentException if no key is named or the reason is blank
   */
  public static ReencryptionConfirmation confirmedByOperator(KeyPurpose purpose, Set<KeyId> keyIds, String reason) {
    Objects.requireNonNull(reason, "reason");
    if (keyIds.isEmpty()) {
      throw new IllegalArgumentException("name at least one key");
    }
    if (reason.isBlank()) {
      throw new IllegalArgumentException("an operator confirmation needs a reason");
    }
    return new ReencryptionConfirmation(purpose, keyIds, "operator: " + reason.strip());
  }

  /**
   * Whether this confirmation says that no value of {@code purpose} remains under {@code keyId}.
   *
   * @param purpose the purpose of the keyset the key belongs to
   * @param keyId the key to retire
   * @return {@code true} if both the purpose and the key are the confirmed ones
   */
  public boolean covers(KeyPurpose purpose, KeyId keyId) {
    return this.purpose == purpose && keyIds.contains(keyId);
  }

  /**
   * The purpose of the keyset the keys belong to.
   *
   * @return the purpose; {@link KeyPurpose#FIELD_ENCRYPTION} for a confirmation from a {@link ReencryptionJob}
   */
  public KeyPurpose purpose() {
    return purpose;
  }

  /**
   * The keys under which no value remains.
   *
   * @return an unmodifiable set; for a job, the keys the keyset had besides the target when the pass began (it may
   *     be empty)
   */
  public Set<KeyId> keyIds() {
    return keyIds;
  }

  /**
   * Who or what confirmed it: a job over a named source, or an operator with a reason.
   *
   * @return {@code re-encryption job over <source name>} or {@code operator: <reason>}
   */
  public String basis() {
    return basis;
  }

  @Override
  public String toString() {
    return "ReencryptionConfirmation[" + purpose.fileName() + ", keys=" + keyIds + ", " + basis + "]";
  }
}
