package dev.safeguards.cli;

import dev.safeguards.audit.AuditFilter;
import java.time.Instant;
import picocli.CommandLine.Option;

/** {@code --from} and {@code --to}: the time range of the audit events to select. */
final class TimeRangeOptions {

  @Option(names = "--from", paramLabel = "INSTANT", converter = Converters.Time.class,
      description = "Events recorded at or after this ISO-8601 instant, e.g. 2026-11-16T00:00:00Z.")
  private Instant from;

  @Option(names = "--to", paramLabel = "INSTANT", converter = Converters.Time.class,
      description = "Events recorded before this ISO-8601 instant.")
  private Instant to;

  /** Adds the range to {@code filter}. */
  AuditFilter.Builder applyTo(AuditFilter.Builder filter) {
    if (from != null && to != null && to.isBefore(from)) {
      throw CliException.input("the time range ends (--to " + to + ") before it starts (--from " + from + ")");
    }
    if (from != null) {
      filter.from(from);
    }
    if (to != null) {
      filter.to(to);
    }
    return filter;
  }
}
