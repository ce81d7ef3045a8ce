package dev.safeguards.examples.clinic.domain;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the clinic's command lines take them: {@code 90s}, {@code 10m}, {@code 1h}. */
public final class Durations {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smh])");

  private Durations() {}

  /**
   * Parses {@code 90s}, {@code 10m} or {@code 1h}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("a duration such as 90s, 10m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
