package dev.safeguards.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code safeguards witness}: a witness for audit logs' checkpoints (164.312(b), (c)(1)). */
@Command(name = "witness",
    description = "Runs a witness that keeps audit logs' checkpoints off their hosts and cosigns consistent growth.",
    subcommands = {WitnessServeCommand.class})
final class WitnessCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    throw CommandGroups.missingSubcommand(spec);
  }
}
