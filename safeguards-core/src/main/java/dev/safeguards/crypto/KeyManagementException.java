package dev.safeguards.crypto;

/**
 * A key could not be loaded, stored or changed. Subclasses name the family: {@link MasterKeyException},
 * {@link KeysetFileException} and {@link KeyStateException}.
 */
public abstract class KeyManagementException extends CryptoException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names what failed (never a plaintext or key material). */
  protected KeyManagementException(String message) {
    super(message);
  }

  /** Creates the exception with a message that names what failed and the underlying cause. */
  protected KeyManagementException(String message, Throwable cause) {
    super(message, cause);
  }
}
