package dev.safeguards.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A child JVM on the test class path, for tests that kill a process mid-write; its standard error is discarded. */
public final class ChildJvm {

  private ChildJvm() {}

  /**
   * Starts {@code main} in a new JVM with {@code args}; read its standard output to know how far it got.
   *
   * @param main the class whose {@code main} runs
   * @param args its arguments
   * @return the running process
   * @throws IOException if the process cannot be started
   */
  public static Process start(Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }
}
