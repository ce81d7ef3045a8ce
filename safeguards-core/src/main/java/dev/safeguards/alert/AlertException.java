package dev.safeguards.alert;

/** An alert could not be delivered. The message never carries the alert's content beyond its type and id. */
public class AlertException extends Exception {

  private static final long serialVersionUID = 1L;

  /** An exception with {@code message}. */
  public AlertException(String message) {
    super(message);
  }

  /** An exception with {@code message}, caused by {@code cause}. */
  public AlertException(String message, Throwable cause) {
    super(message, cause);
  }
}
