package dev.safeguards.crypto;

/**
 * Root of the checked exceptions of encryption at rest (164.312(a)(2)(iv)): something could not be encrypted,
 * decrypted, or a key could not be loaded or changed.
 *
 * <p>Messages name what failed (the file, the key id, the field context) and never contain a plaintext, a ciphertext
 * or key material, so they are safe to log. Response bodies should still not echo them.
 */
public class CryptoException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message that names what failed.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   */
  public CryptoException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message that names what failed and the underlying cause.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   * @param cause the underlying failure (a Tink or I/O exception); may be null
   */
  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
