package dev.safeguards.crypto;

/**
 * The key-encryption key is missing, malformed, or cannot be created (164.312(a)(2)(iv)).
 */
public final class MasterKeyException extends KeyManagementException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message that names what failed.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   */
  public MasterKeyException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message that names what failed and the underlying cause.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   * @param cause the underlying failure (an I/O or Tink exception); may be null
   */
  public MasterKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
