package dev.safeguards.audit;

/**
 * An audit event could not be recorded, or an audit log could not be read or trusted (164.312(b)).
 *
 * <p>A request whose audit event cannot be recorded must fail: the gate refuses it. Messages name what failed and
 * never carry the content of an event.
 */
public class AuditException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what failed, in words; never the content of an event
   */
  public AuditException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param message what failed, in words; never the content of an event
   * @param cause the failure behind it (an {@link java.io.IOException}, say); may be null
   */
  public AuditException(String message, Throwable cause) {
    super(message, cause);
  }
}
