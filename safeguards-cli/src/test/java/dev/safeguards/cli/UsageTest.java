package dev.safeguards.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class UsageTest {

  private final Cli cli = new Cli(Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC));

  /** Every command path, e.g. [keys, rotate]. */
  private static List<List<String>> commands(CommandLine command, List<String> path) {
    List<List<String>> all = new ArrayList<>();
    all.add(path);
    command.getSubcommands().forEach((name, sub) -> {
      List<String> next = new ArrayList<>(path);
      next.add(name);
      all.addAll(commands(sub, next));
    });
    return all;
  }

  @Test
  void help_everyCommand_describesItAndListsTheExitCodes() {
    List<List<String>> commands = commands(SafeguardsCli.commandLine(Clock.systemUTC()), List.of());
    assertThat(commands).hasSize(21);
    for (List<String> command : commands) {
      List<Object> args = new ArrayList<>(command);
      args.add("--help");
      Cli.Result r = cli.run(args.toArray());

      assertThat(r.exitCode()).as("%s", command).isZero();
      assertThat(r.out()).as("%s", command).contains("Usage: safeguards", "Exit codes:", "0   success",
          "1   verification failed", "2   usage error", "3   input problem");
    }
  }

  @Test
  void version_anyCommand_printsTheProjectVersion() {
    Cli.Result top = cli.run("--version");
    Cli.Result sub = cli.run("audit", "verify", "--version");

    assertThat(top.exitCode()).isZero();
    assertThat(top.out()).startsWith("safeguards 0.1.0").doesNotContain("${project.version}");
    assertThat(sub.out()).isEqualTo(top.out());
  }

  @Test
  void execute_withoutCommand_isUsageErrorNamingTheCommands() {
    Cli.Result r = cli.run();

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.oneErrorLine()).isEqualTo(
        "safeguards: missing subcommand: one of keys, audit, archive, report, witness (see 'safeguards --help')");
  }

  @Test
  void execute_groupWithoutSubcommand_isUsageError() {
    Cli.Result r = cli.run("archive");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.oneErrorLine()).contains("safeguards archive: missing subcommand: one of create, verify, restore");
  }

  @Test
  void execute_unknownOption_isUsageErrorOnOneLine() {
    Cli.Result r = cli.run("keys", "list", "/tmp", "--colour");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.oneErrorLine()).startsWith("safeguards keys list: ").contains("--colour");
  }

  @Test
  void execute_unknownCommand_isUsageError() {
    Cli.Result r = cli.run("keys", "destroy", "x");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("destroy").doesNotContain("\tat ");
  }
}
