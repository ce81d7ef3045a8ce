package dev.safeguards.crypto;

/**
 * The ciphertext names a key that is not in the keyset, or whose status is disabled. Re-enable the key, or restore
 * the keyset that holds it, to read the value.
 */
public final class UnknownKeyException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message that names what failed.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   */
  public UnknownKeyException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message that names what failed and the underlying cause.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   * @param cause the underlying failure; may be null
   */
  public UnknownKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
