package dev.safeguards.crypto;

/**
 * A {@link ReencryptionJob} run stopped because its source, its checkpoint store or the keyset failed. The checkpoint
 * holds the last complete batch, and every value already written is under the target key, so running the job again
 * resumes without losing or repeating work. The message names the source and position, never a value.
 */
public final class ReencryptionException extends CryptoException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message naming the source and position.
   *
   * @param message what stopped the run, naming the source and position; never a value
   */
  public ReencryptionException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message naming the source and position, and the underlying cause.
   *
   * @param message what stopped the run, naming the source and position; never a value
   * @param cause the failure of the source, the checkpoint store or the keyset; may be null
   */
  public ReencryptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
