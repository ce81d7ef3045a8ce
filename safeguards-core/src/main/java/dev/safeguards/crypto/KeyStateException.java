package dev.safeguards.crypto;

/**
 * A key life-cycle change was refused: disabling the primary key, disabling or destroying a key whose data has not
 * been confirmed re-encrypted, or naming a key that is not in the keyset.
 */
public final class KeyStateException extends KeyManagementException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names what failed (never a plaintext or key material). */
  public KeyStateException(String message) {
    super(message);
  }

  /** Creates the exception with a message that names what failed and the underlying cause. */
  public KeyStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
