package dev.safeguards.cli;

import dev.safeguards.crypto.KeyManagementException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * Turns every failure into one line on standard error, {@code <command>: <what is wrong>}, and its exit status: never
 * a stack trace, never the usage text.
 */
final class FailureHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    if (e.getCause() instanceof TypeConversionException) {
      command.getErr().println(name + ": " + e.getMessage());
      return ExitCodes.INPUT;
    }
    command.getErr().println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    String name = command.getCommandSpec().qualifiedName();
    int code;
    String message;
    if (e instanceof CliException failure) {
      code = failure.exitCode();
      message = failure.getMessage();
    } else if (e instanceof KeyManagementException) {
      code = ExitCodes.INPUT;
      message = e.getMessage();
    } else {
      code = ExitCodes.INTERNAL;
      message = "internal error, please report it: " + e.getClass().getName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    command.getErr().println(name + ": " + message);
    return code;
  }
}
