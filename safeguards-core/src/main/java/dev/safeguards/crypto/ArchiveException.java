package dev.safeguards.crypto;

/**
 * A sealed archive could not be written, verified or restored: wrong key, modified or truncated file, manifest
 * mismatch, or an entry name that would escape the restore directory. On failure nothing is left behind: no partial
 * archive and no partial restore.
 */
public final class ArchiveException extends CryptoException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message that names what failed.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   */
  public ArchiveException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message that names what failed and the underlying cause.
   *
   * @param message what failed, naming the file, key id or context; never a plaintext, a ciphertext or key material
   * @param cause the underlying failure (an I/O or decryption error); may be null
   */
  public ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
