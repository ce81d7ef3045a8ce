package dev.safeguards.crypto;

/**
 * A signature or MAC did not verify under a {@link SigningKeyset}: the data changed, another key signed it, or the key
 * it names is not in the keyset (see {@link #keyUnknown()}). The message names the key id, never the data.
 */
public final class InvalidSignatureException extends CryptoException {

  private static final long serialVersionUID = 1L;

  private final boolean keyUnknown;

  /** Creates the exception; {@code keyUnknown} tells whether the named key was missing or disabled. */
  public InvalidSignatureException(String message, boolean keyUnknown) {
    super(message);
    this.keyUnknown = keyUnknown;
  }

  /** Whether the signature names a key that is not in the keyset, or is disabled. */
  public boolean keyUnknown() {
    return keyUnknown;
  }
}
