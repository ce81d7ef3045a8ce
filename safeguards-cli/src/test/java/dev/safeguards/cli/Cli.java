package dev.safeguards.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Arrays;
import picocli.CommandLine;

/** Runs the command line in-process, as {@code main} would, capturing its output and error streams. */
final class Cli {

  private final Clock clock;

  Cli(Clock clock) {
    this.clock = clock;
  }

  /** What one run printed and returned. */
  record Result(int exitCode, String out, String err) {

    /** Asserts the failure was reported as exactly one line on stderr, without a stack trace, and returns it. */
    String oneErrorLine() {
      assertThat(err).as("stderr").endsWith(System.lineSeparator());
      assertThat(err.strip().lines()).as("stderr lines: %s", err).hasSize(1);
      assertThat(err).doesNotContain("\tat ").doesNotContain("Exception:");
      return err.strip();
    }
  }

  Result run(Object... args) {
    String[] strings = Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SafeguardsCli.commandLine(clock);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(strings);
    return new Result(code, out.toString(), err.toString());
  }
}
