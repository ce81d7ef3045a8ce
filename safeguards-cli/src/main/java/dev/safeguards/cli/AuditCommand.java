package dev.safeguards.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code safeguards audit}: the tamper-evident audit log (164.312(b)). */
@Command(name = "audit",
    description = "Verifies, searches, scopes and proves records of a tamper-evident audit log directory.",
    subcommands = {AuditVerifyCommand.class, AuditSearchCommand.class, AuditScopeCommand.class,
        AuditProveCommand.class, AuditCheckProofCommand.class, AuditMigrateCommand.class, AuditExportCommand.class})
final class AuditCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    throw CommandGroups.missingSubcommand(spec);
  }
}
