package dev.safeguards.transport;

/** A connection was negotiated below the TLS policy (164.312(e)(2)(ii)). The message names what, never data. */
public final class WeakTransportException extends Exception {

  private static final long serialVersionUID = 1L;

  /** An exception with {@code message}. */
  public WeakTransportException(String message) {
    super(message);
  }
}
