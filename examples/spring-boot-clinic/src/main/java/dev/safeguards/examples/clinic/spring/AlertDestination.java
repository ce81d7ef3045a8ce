package dev.safeguards.examples.clinic.spring;

import dev.safeguards.alert.AlertSink;
import java.util.Objects;

/**
 * One more place the clinic's alerts go, beside the log and {@code clinic.alert-webhook}: declare a bean of this type
 * (a pager, a test's capture). A type of its own rather than an {@code AlertSink} bean, so that the one alert sink the
 * starter hands the gate stays the clinic's.
 *
 * @param sink where the alerts go
 */
public record AlertDestination(AlertSink sink) {

  /** Checks that there is a sink. */
  public AlertDestination {
    Objects.requireNonNull(sink, "sink");
  }
}
