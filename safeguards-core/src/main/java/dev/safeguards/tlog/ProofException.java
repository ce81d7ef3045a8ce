package dev.safeguards.tlog;

/** A Merkle proof, or the hashes and sizes it is checked against, do not prove what was asked. */
public final class ProofException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * A failed proof, and why.
   *
   * @param message what the proof fails to prove, or why it cannot be checked
   */
  public ProofException(String message) {
    super(message);
  }
}
