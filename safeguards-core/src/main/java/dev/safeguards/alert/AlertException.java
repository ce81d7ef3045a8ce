package dev.safeguards.alert;

/** An alert could not be delivered. The message never carries the alert's content beyond its type and id. */
public class AlertException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what failed; names the alert by type or id only, never its subject
   */
  public AlertException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param message what failed; names the alert by type or id only, never its subject
   * @param cause the failure of the destination (an I/O error, an earlier sink's failure); may be null
   */
  public AlertException(String message, Throwable cause) {
    super(message, cause);
  }
}
