/**
 * Encryption at rest (164.312(a)(2)(iv)) and the keys behind every safeguard: keysets sealed under a key-encryption
 * key ({@link dev.safeguards.crypto.Keyring}, {@link dev.safeguards.crypto.ManagedKeyset}), per-field encryption
 * ({@link dev.safeguards.crypto.FieldCipher}), blind indexes ({@link dev.safeguards.crypto.BlindIndex}), streaming
 * encryption ({@link dev.safeguards.crypto.StreamingCipher}), re-encryption after rotation
 * ({@link dev.safeguards.crypto.ReencryptionJob}), sealed backup archives ({@link dev.safeguards.crypto.SealedArchive},
 * 164.312(a)(2)(ii)) and record-signing keys ({@link dev.safeguards.crypto.SigningKeyset}). All cryptography is Tink's.
 * See docs/encryption.md.
 */
package dev.safeguards.crypto;
