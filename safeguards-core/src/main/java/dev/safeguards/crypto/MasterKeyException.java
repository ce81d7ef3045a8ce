package dev.safeguards.crypto;

/**
 * The key-encryption key is missing, malformed, or cannot be created (164.312(a)(2)(iv)).
 */
public final class MasterKeyException extends KeyManagementException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names what failed (never a plaintext or key material). */
  public MasterKeyException(String message) {
    super(message);
  }

  /** Creates the exception with a message that names what failed and the underlying cause. */
  public MasterKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
