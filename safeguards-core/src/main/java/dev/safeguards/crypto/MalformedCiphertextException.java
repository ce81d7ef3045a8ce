package dev.safeguards.crypto;

/**
 * The input is not a ciphertext this library wrote: wrong prefix or version, invalid encoding, or too short.
 */
public final class MalformedCiphertextException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names what failed (never a plaintext or key material). */
  public MalformedCiphertextException(String message) {
    super(message);
  }

  /** Creates the exception with a message that names what failed and the underlying cause. */
  public MalformedCiphertextException(String message, Throwable cause) {
    super(message, cause);
  }
}
