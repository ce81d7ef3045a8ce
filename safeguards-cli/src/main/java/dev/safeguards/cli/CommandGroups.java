package dev.safeguards.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What a command that only groups subcommands does when it is run on its own. */
final class CommandGroups {

  private CommandGroups() {}

  /** A usage error naming the subcommands {@code spec} offers. */
  static ParameterException missingSubcommand(CommandSpec spec) {
    return new ParameterException(spec.commandLine(),
        "missing subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
  }
}
