package dev.safeguards.crypto;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the key inventory: which key, what it is for, its state and age. Never any key material.
 *
 * <p>The inventory is the asset list that the 2025 proposed HIPAA Security Rule asks for, and the input to a rotation
 * policy (key age = now minus {@link #createdAt()}).
 *
 * @param keyId the key's id
 * @param purpose what the key is for
 * @param keyType the Tink key type, e.g. {@code AES256_GCM}
 * @param status the key's life-cycle state
 * @param primary whether the key encrypts new data (exactly one key of a keyset is primary)
 * @param createdAt when the key was generated
 */
public record KeyInfo(
    KeyId keyId, KeyPurpose purpose, String keyType, KeyStatus status, boolean primary, Instant createdAt) {

  /**
   * Checks every component.
   *
   * @param keyId the key's id; not null
   * @param purpose what the key is for; not null
   * @param keyType the Tink key type; not null
   * @param status the key's life-cycle state; not null
   * @param primary whether the key encrypts new data; only an enabled key may be primary
   * @param createdAt when the key was generated; not null
   * @throws NullPointerException if a component other than {@code primary} is null
   * @throws IllegalArgumentException if {@code primary} is set for a key that is not enabled
   */
  public KeyInfo {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    if (primary && status != KeyStatus.ENABLED) {
      throw new IllegalArgumentException("the primary key must be enabled");
    }
  }
}
