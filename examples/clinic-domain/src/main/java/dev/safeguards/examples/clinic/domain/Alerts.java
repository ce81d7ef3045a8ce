package dev.safeguards.examples.clinic.domain;

import dev.safeguards.alert.AlertSink;
import dev.safeguards.alert.AlertSinks;
import java.util.ArrayList;
import java.util.List;

/** Where the clinic's alerts go: the log (console) always, plus any sink given (a webhook, a test's capture). */
public final class Alerts {

  public static final String LOGGER = "dev.safeguards.examples.clinic.alerts";

  private Alerts() {}

  public static AlertSink of(List<AlertSink> more) {
    List<AlertSink> all = new ArrayList<>();
    all.add(AlertSinks.slf4j(LOGGER));
    all.addAll(more);
    return AlertSinks.fanOut(all.toArray(AlertSink[]::new));
  }
}
