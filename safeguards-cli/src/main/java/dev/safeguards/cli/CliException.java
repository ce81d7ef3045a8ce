package dev.safeguards.cli;

/**
 * A failure to report as one line on standard error with an exit status ({@link ExitCodes}). Its message names what
 * is wrong (the file, the option) and never holds key material.
 */
final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  private CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** An input problem: a missing or unreadable file, a wrong key, a malformed key file or value. */
  static CliException input(String message) {
    return new CliException(ExitCodes.INPUT, message);
  }

  /** A verification that failed: the audit log or archive is damaged or was tampered with. */
  static CliException verificationFailed(String message) {
    return new CliException(ExitCodes.VERIFICATION_FAILED, message);
  }

  int exitCode() {
    return exitCode;
  }
}
