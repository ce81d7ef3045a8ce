package dev.safeguards.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Address parsing never asks a resolver: checked in a child JVM whose resolver is a hosts file
 * ({@code jdk.net.hosts.file}) that does answer for the names, so that a lookup would show as an address.
 */
class TrustedProxiesLookupTest {

  @TempDir Path dir;

  @Test
  void literal_textThatIsNotALiteral_isNeverLookedUpByName() throws Exception {
    // Found while writing ForwardedFuzzTest: ".:1" passed the IPv6 character check, and InetAddress, which reads a
    // literal only when it starts with a hex digit or ':', looked it up by name; a resolver answering 10.1.2.3 made a
    // 10.0.0.0/8 proxy list trust it.
    Path hosts = Files.writeString(dir.resolve("hosts"), "10.1.2.3 .:1\n10.1.2.4 .a:b\n10.1.2.5 .1.2:3\n");
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process child = new ProcessBuilder(List.of(java, "-Djdk.net.hosts.file=" + hosts, "-cp",
        System.getProperty("java.class.path"), LiteralChildMain.class.getName(), ".:1", "[.a:b]", ".1.2:3", "::1",
        "10.1.2.3"))
        .redirectErrorStream(true)
        .start();
    boolean exited = child.waitFor(2, TimeUnit.MINUTES);
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!exited) {
      child.destroyForcibly();
    }

    assertThat(exited).as("child finished; output:%n%s", output).isTrue();
    assertThat(child.exitValue()).as("child exit code; output:%n%s", output).isZero();
    assertThat(output).contains(".:1 -> null trusted=false", "[.a:b] -> null trusted=false",
        ".1.2:3 -> null trusted=false", "::1 -> 0:0:0:0:0:0:0:1 trusted=false", "10.1.2.3 -> 10.1.2.3 trusted=true");
  }
}
