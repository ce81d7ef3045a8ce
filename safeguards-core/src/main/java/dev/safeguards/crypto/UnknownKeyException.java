package dev.safeguards.crypto;

/**
 * The ciphertext names a key that is not in the keyset, or whose status is disabled. Re-enable the key, or restore
 * the keyset that holds it, to read the value.
 */
public final class UnknownKeyException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names what failed (never a plaintext or key material). */
  public UnknownKeyException(String message) {
    super(message);
  }

  /** Creates the exception with a message that names what failed and the underlying cause. */
  public UnknownKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
