package dev.safeguards.crypto;

/**
 * The input is not a ciphertext this library wrote: wrong prefix or version, invalid encoding, or too short.
 */
public final class MalformedCiphertextException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message that names what failed.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   */
  public MalformedCiphertextException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message that names what failed and the underlying cause.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   * @param cause the underlying failure; may be null
   */
  public MalformedCiphertextException(String message, Throwable cause) {
    super(message, cause);
  }
}
