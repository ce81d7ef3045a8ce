package dev.safeguards.crypto;

/**
 * A key life-cycle change was refused: disabling the primary key, disabling or destroying a key whose data has not
 * been confirmed re-encrypted, or naming a key that is not in the keyset.
 */
public final class KeyStateException extends KeyManagementException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message that names what failed.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   */
  public KeyStateException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message that names what failed and the underlying cause.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   * @param cause the underlying failure (Tink refusing the changed keyset); may be null
   */
  public KeyStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
