package dev.safeguards.cli;

import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditFilter;
import dev.safeguards.audit.AuditOutcome;
import dev.safeguards.identity.UserId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The criteria of {@code audit search}, translated into an {@link AuditFilter}. */
final class FilterOptions {

  @Option(names = "--user", paramLabel = "UUID", converter = Converters.User.class,
      description = "Events by this user id, repeatable.")
  private List<UserId> users = new ArrayList<>();

  @Option(names = "--session", paramLabel = "ID", description = "Events in this session, repeatable.")
  private List<String> sessions = new ArrayList<>();

  @Option(names = "--address", paramLabel = "ADDRESS",
      description = "Events from this source address, exactly as recorded, repeatable.")
  private List<String> addresses = new ArrayList<>();

  @Option(names = "--resource", paramLabel = "TYPE[/ID]",
      description = "Events that touched this resource (Patient/0193...) or any resource of this type (Patient).")
  private String resource;

  @Option(names = "--action", paramLabel = "ACTION", converter = Converters.Action.class,
      description = "Events with this action code (read, update, search, export, emergency-access, ...), "
          + "repeatable.")
  private List<AuditAction> actions = new ArrayList<>();

  @Option(names = "--outcome", paramLabel = "OUTCOME", converter = Converters.Outcome.class,
      description = "Events with this outcome code (success, minor-failure, serious-failure, major-failure), "
          + "repeatable.")
  private List<AuditOutcome> outcomes = new ArrayList<>();

  @Option(names = "--emergency-only", description = "Only events under an emergency (break-glass) grant.")
  private boolean emergencyOnly;

  @Mixin
  private TimeRangeOptions time;

  /** The filter; criteria of different kinds must all match, several values of one kind match any of them. */
  AuditFilter build() {
    AuditFilter.Builder filter = AuditFilter.builder();
    users.forEach(filter::user);
    actions.forEach(filter::action);
    outcomes.forEach(filter::outcome);
    if (emergencyOnly) {
      filter.emergencyOnly();
    }
    checked("--session", () -> sessions.forEach(filter::session));
    checked("--address", () -> addresses.forEach(filter::sourceAddress));
    if (resource != null) {
      int slash = resource.indexOf('/');
      checked("--resource", () -> {
        if (slash < 0) {
          filter.resourceType(resource);
        } else {
          filter.resource(resource.substring(0, slash), resource.substring(slash + 1));
        }
      });
    }
    return time.applyTo(filter).build();
  }

  /** Runs {@code step}, turning a refused value into an input problem that names {@code option}. */
  static void checked(String option, Runnable step) {
    try {
      step.run();
    } catch (IllegalArgumentException e) {
      throw CliException.input("invalid value for option '" + option + "': " + e.getMessage());
    }
  }
}
