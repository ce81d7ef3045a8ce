package dev.safeguards.crypto;

/**
 * A key could not be loaded, stored or changed. Subclasses name the family: {@link MasterKeyException},
 * {@link KeysetFileException} and {@link KeyStateException}.
 */
public abstract class KeyManagementException extends CryptoException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message that names what failed.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   */
  protected KeyManagementException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message that names what failed and the underlying cause.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   * @param cause the underlying failure (a Tink or I/O exception); may be null
   */
  protected KeyManagementException(String message, Throwable cause) {
    super(message, cause);
  }
}
