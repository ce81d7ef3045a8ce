package dev.safeguards.crypto;

/**
 * The ciphertext failed authentication: it was modified or truncated, it belongs to another record or field (its
 * associated data differs), or it was encrypted under a different key with the same id. Nothing was decrypted.
 */
public final class CiphertextIntegrityException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message that names what failed.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   */
  public CiphertextIntegrityException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message that names what failed and the underlying cause.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   * @param cause the underlying failure; may be null
   */
  public CiphertextIntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
