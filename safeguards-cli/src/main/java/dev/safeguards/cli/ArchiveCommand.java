package dev.safeguards.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code safeguards archive}: sealed backup archives (164.312(a)(2)(ii)). */
@Command(name = "archive",
    description = "Creates, verifies and restores sealed (encrypted, authenticated) backup archives.",
    subcommands = {ArchiveCreateCommand.class, ArchiveVerifyCommand.class, ArchiveRestoreCommand.class})
final class ArchiveCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    throw CommandGroups.missingSubcommand(spec);
  }
}
