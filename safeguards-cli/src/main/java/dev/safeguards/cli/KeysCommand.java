package dev.safeguards.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code safeguards keys}: the keyset files (164.312(a)(2)(iv)). */
@Command(name = "keys",
    description = "Generates, rotates and lists keyset files, sealed under the master key.",
    subcommands = {KeysGenerateCommand.class, KeysRotateCommand.class, KeysListCommand.class,
        KeysPublicCommand.class})
final class KeysCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    throw CommandGroups.missingSubcommand(spec);
  }
}
