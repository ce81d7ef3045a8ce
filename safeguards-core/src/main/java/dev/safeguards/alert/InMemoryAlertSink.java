package dev.safeguards.alert;

import java.util.ArrayList;
import java.util.List;

/** Keeps alerts in memory, in order: for tests, and for an in-process dashboard. Thread-safe. */
public final class InMemoryAlertSink implements AlertSink {

  private final List<Alert> alerts = new ArrayList<>();

  @Override
  public synchronized void send(Alert alert) {
    alerts.add(alert);
  }

  /**
   * The alerts sent so far, oldest first.
   *
   * @return an unmodifiable copy; later alerts do not appear in it
   */
  public synchronized List<Alert> alerts() {
    return List.copyOf(alerts);
  }
}
