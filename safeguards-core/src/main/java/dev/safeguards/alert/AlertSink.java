package dev.safeguards.alert;

/**
 * Where alerts go: a pager, a chat channel, a SIEM (164.308(a)(1), 164.312(b)). Implementations are thread-safe and
 * return only once the alert was delivered, or throw.
 */
@FunctionalInterface
public interface AlertSink {

  /**
   * Delivers {@code alert}.
   *
   * @param alert the alert to deliver; not null
   * @throws AlertException if it could not be delivered
   */
  void send(Alert alert) throws AlertException;
}
