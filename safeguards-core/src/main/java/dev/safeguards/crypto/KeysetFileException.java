package dev.safeguards.crypto;

/**
 * A keyset file is missing, malformed, was modified, or cannot be decrypted with the key-encryption key given.
 */
public final class KeysetFileException extends KeyManagementException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message that names what failed.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   */
  public KeysetFileException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message that names what failed and the underlying cause.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   * @param cause the underlying failure (an I/O or Tink exception); may be null
   */
  public KeysetFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
