package dev.safeguards.cli;

/** The exit statuses of the command line, as its help and docs/cli.md list them. */
final class ExitCodes {

  /** Success. */
  static final int OK = 0;
  /** Verification failed: an audit log or an archive is damaged or was tampered with. */
  static final int VERIFICATION_FAILED = 1;
  /** Usage error: an unknown option, a missing or conflicting argument (picocli's own code for these). */
  static final int USAGE = 2;
  /** Input problem: a missing or unreadable file, a wrong key, a malformed key file or argument value. */
  static final int INPUT = 3;
  /** A failure the command line did not expect: a bug. */
  static final int INTERNAL = 4;

  private ExitCodes() {}
}
