package dev.safeguards.crypto;

/**
 * Encrypts and decrypts one field value at a time with AES-256-GCM, bound to its {@link FieldContext}
 * (164.312(a)(2)(iv)).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Confidentiality and integrity: a fresh random 96-bit nonce per value, a 128-bit tag.
 *   <li>Binding: the entity type, record id and field name are associated data, so a ciphertext moved to another
 *       record or field fails with {@link CiphertextIntegrityException}.
 *   <li>Rotation: every ciphertext names its key, so values written under an older key keep decrypting while that key
 *       is enabled; new values always use the keyset's current primary key.
 *   <li>Storage: a ciphertext is ASCII text ({@code sg1:} then unpadded base64url, see docs/encryption.md) that fits a
 *       {@code VARCHAR} column; its length is the plaintext's UTF-8 length plus 33 bytes, base64-encoded, so the
 *       plaintext's length is not hidden. For a binary column ({@code BLOB}, {@code BYTEA}), the binary form ({@link
 *       #encryptToBytes}) is the same ciphertext without the text encoding: the bytes the text form holds after
 *       {@code sg1:}, so either form converts to the other. It saves the base64 step, which costs about as much as
 *       AES-GCM itself.
 *   <li>Failure: decryption returns the whole plaintext or throws a {@link DecryptionException} naming the context and
 *       the reason; messages never hold a plaintext, a ciphertext or key material.
 * </ul>
 *
 * <p>Instances are thread-safe and follow the keyset's rotations at once.
 */
public interface FieldCipher {

  /** The prefix of every field ciphertext in this format version. */
  String PREFIX = "sg1:";

  /**
   * Creates a cipher over a {@link KeyPurpose#FIELD_ENCRYPTION} keyset.
   *
   * @param keyset the keyset whose primary key encrypts and whose enabled keys decrypt; its later changes apply at
   *     once; not null
   * @return the cipher
   * @throws NullPointerException if {@code keyset} is null
   * @throws IllegalArgumentException if the keyset has another purpose
   */
  static FieldCipher create(ManagedKeyset keyset) {
    return new TinkFieldCipher(keyset);
  }

  /**
   * Encrypts a text value (as UTF-8) for {@code context} under the primary key.
   *
   * @param plaintext the value; may be empty, not null
   * @param context where the value belongs, bound to the ciphertext as associated data; not null
   * @return the text form, {@value #PREFIX} then unpadded base64url; different on every call, as the nonce is random
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code plaintext} holds an unpaired surrogate, which UTF-8 cannot encode (it
   *     would otherwise decrypt to another string); the message names the context, never the value
   */
  String encrypt(String plaintext, FieldContext context);

  /**
   * Encrypts a binary value for {@code context} under the primary key.
   *
   * @param plaintext the value; not modified, may be empty, not null
   * @param context where the value belongs, bound to the ciphertext as associated data; not null
   * @return the text form, {@value #PREFIX} then unpadded base64url; different on every call, as the nonce is random
   * @throws NullPointerException if an argument is null
   */
  String encrypt(byte[] plaintext, FieldContext context);

  /**
   * Encrypts a binary value for {@code context} under the primary key, into the binary form: Tink's 5-byte key prefix
   * (version byte {@code 0x01}, then the key id), the 12-byte nonce, the ciphertext and the 16-byte tag.
   *
   * @param plaintext the value; not modified, may be empty, not null
   * @param context where the value belongs, bound to the ciphertext as associated data; not null
   * @return a new array, 33 bytes longer than the plaintext
   * @throws NullPointerException if an argument is null
   */
  byte[] encryptToBytes(byte[] plaintext, FieldContext context);

  /**
   * Decrypts a text value.
   *
   * @param ciphertext the text form, as {@link #encrypt(String, FieldContext)} returned it; not null
   * @param context the context it was encrypted for; not null
   * @return the whole plaintext; nothing is returned when any check fails
   * @throws NullPointerException if an argument is null
   * @throws MalformedCiphertextException if {@code ciphertext} is not one of ours, or its plaintext is not UTF-8 text
   * @throws UnknownKeyException if its key is not in the keyset or is disabled
   * @throws CiphertextIntegrityException if it was modified, truncated, or belongs to another context
   */
  String decrypt(String ciphertext, FieldContext context) throws DecryptionException;

  /**
   * Decrypts a binary value.
   *
   * @param ciphertext the text form, as {@link #encrypt(byte[], FieldContext)} returned it; not null
   * @param context the context it was encrypted for; not null
   * @return the whole plaintext, a new array the caller owns
   * @throws NullPointerException if an argument is null
   * @throws MalformedCiphertextException if {@code ciphertext} is not one of ours
   * @throws UnknownKeyException if its key is not in the keyset or is disabled
   * @throws CiphertextIntegrityException if it was modified, truncated, or belongs to another context
   */
  byte[] decryptBytes(String ciphertext, FieldContext context) throws DecryptionException;

  /**
   * Decrypts a value in the binary form ({@link #encryptToBytes}).
   *
   * @param ciphertext the binary form; not modified, not null
   * @param context the context it was encrypted for; not null
   * @return the whole plaintext, a new array the caller owns
   * @throws NullPointerException if an argument is null
   * @throws MalformedCiphertextException if {@code ciphertext} is too short or does not start with a key prefix
   * @throws UnknownKeyException if its key is not in the keyset or is disabled
   * @throws CiphertextIntegrityException if it was modified, truncated, or belongs to another context
   */
  byte[] decryptBytes(byte[] ciphertext, FieldContext context) throws DecryptionException;

  /**
   * Returns the id of the key a ciphertext was written under, without decrypting it.
   *
   * @param ciphertext the text form; not null
   * @return the key id the ciphertext names; not authenticated, so a forged ciphertext may name any key
   * @throws NullPointerException if {@code ciphertext} is null
   * @throws MalformedCiphertextException if {@code ciphertext} is not one of ours
   */
  KeyId keyIdOf(String ciphertext) throws MalformedCiphertextException;

  /**
   * Returns the id of the key a ciphertext in the binary form was written under, without decrypting it.
   *
   * @param ciphertext the binary form; not null
   * @return the key id the ciphertext names; not authenticated, so a forged ciphertext may name any key
   * @throws NullPointerException if {@code ciphertext} is null
   * @throws MalformedCiphertextException if {@code ciphertext} is too short or does not start with a key prefix
   */
  KeyId keyIdOf(byte[] ciphertext) throws MalformedCiphertextException;

  /**
   * The id of the key new values are encrypted under.
   *
   * @return the keyset's primary key id at the time of the call
   */
  KeyId primaryKeyId();
}
