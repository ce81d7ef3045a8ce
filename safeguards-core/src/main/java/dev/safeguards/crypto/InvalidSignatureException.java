package dev.safeguards.crypto;

/**
 * A signature or MAC did not verify under a {@link SigningKeyset}: the data changed, another key signed it, or the key
 * it names is not in the keyset (see {@link #keyUnknown()}). The message names the key id, never the data.
 */
public final class InvalidSignatureException extends CryptoException {

  private static final long serialVersionUID = 1L;

  /** Whether the signature named a key that is not in the keyset, or is disabled. */
  private final boolean keyUnknown;

  /**
   * Creates the exception; {@code keyUnknown} tells whether the named key was missing or disabled.
   *
   * @param message what failed, naming the key id; never the signed data
   * @param keyUnknown {@code true} if the key the signature names is not in the keyset or is disabled; {@code false}
   *     if the key is known and the signature does not verify under it
   */
  public InvalidSignatureException(String message, boolean keyUnknown) {
    super(message);
    this.keyUnknown = keyUnknown;
  }

  /**
   * Whether the signature names a key that is not in the keyset, or is disabled.
   *
   * @return {@code true} for an unknown or disabled key; {@code false} for a signature that does not verify under a
   *     known key
   */
  public boolean keyUnknown() {
    return keyUnknown;
  }
}
