package dev.safeguards.crypto;

/**
 * A value could not be decrypted. Nothing is returned: no partial plaintext is ever released.
 *
 * <p>The subclasses say why: {@link MalformedCiphertextException} (not a ciphertext of ours),
 * {@link UnknownKeyException} (its key is not in the keyset, or is disabled), {@link CiphertextIntegrityException}
 * (authentication failed: modified, truncated, bound to another record or field, or under a different key).
 */
public abstract class DecryptionException extends CryptoException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message that names what failed.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   */
  protected DecryptionException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message that names what failed and the underlying cause.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   * @param cause the underlying failure; may be null
   */
  protected DecryptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
