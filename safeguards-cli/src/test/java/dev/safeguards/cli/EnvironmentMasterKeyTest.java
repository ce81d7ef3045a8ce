package dev.safeguards.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.crypto.KeyEncryptionKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master key from the environment variable, and {@code main}'s exit status, in a child JVM: a test cannot set an
 * environment variable of its own process.
 */
class EnvironmentMasterKeyTest {

  @TempDir Path tmp;

  private record Run(int exitCode, String out, String err) {}

  private static Run main(Map<String, String> env, String... args) throws IOException, InterruptedException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-XX:-UsePerfData"));
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow"); // as docs/cli.md advises, for protobuf (through Tink)
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), SafeguardsCli.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove(MasterKeyOption.ENVIRONMENT_VARIABLE);
    builder.environment().putAll(env);
    Process child = builder.start();
    child.getOutputStream().close();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(child.exitValue(), out, err);
  }

  @Test
  void main_masterKeyInEnvironment_generatesAndListsKeysWithoutPrintingIt() throws Exception {
    String masterKey = new String(KeyEncryptionKey.generateMasterKeyText());
    Map<String, String> env = Map.of(MasterKeyOption.ENVIRONMENT_VARIABLE, masterKey);

    Run generated = main(env, "keys", "generate", tmp.resolve("keys").toString());
    Run listed = main(env, "keys", "list", tmp.resolve("keys").toString());

    assertThat(generated.exitCode()).as(generated.err()).isZero();
    assertThat(generated.err()).isEmpty();
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(listed.err()).isEmpty();
    assertThat(listed.out().lines()).hasSize(4);
    String encoded = masterKey.substring(KeyEncryptionKey.MASTER_KEY_PREFIX.length());
    assertThat(generated.out() + generated.err() + listed.out() + listed.err()).doesNotContain(encoded);
  }

  @Test
  void main_noMasterKeyAnywhere_exitsThreeWithOneLineNamingBothOptions() throws Exception {
    Run r = main(Map.of(), "keys", "generate", tmp.resolve("keys").toString());

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip().lines()).singleElement().asString()
        .contains("SAFEGUARDS_MASTER_KEY", "--master-key-file").doesNotContain("Exception");
  }

  @Test
  void main_malformedMasterKeyInEnvironment_exitsThreeWithoutEchoingIt() throws Exception {
    Run r = main(Map.of(MasterKeyOption.ENVIRONMENT_VARIABLE, "hunter2-not-a-key"),
        "keys", "generate", tmp.resolve("keys").toString());

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err().strip().lines()).singleElement().asString()
        .contains("SAFEGUARDS_MASTER_KEY", "is not a master key").doesNotContain("hunter2");
  }
}
