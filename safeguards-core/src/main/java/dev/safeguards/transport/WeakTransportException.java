package dev.safeguards.transport;

/** A connection was negotiated below the TLS policy (164.312(e)(2)(ii)). The message names what, never data. */
public final class WeakTransportException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what was below the policy (the protocol or suite name), never request data
   */
  public WeakTransportException(String message) {
    super(message);
  }
}
