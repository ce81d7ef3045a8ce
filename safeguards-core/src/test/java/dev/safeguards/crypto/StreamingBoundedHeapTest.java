package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 64 MiB object streams through encryption and decryption in a JVM whose whole heap is 32 MiB. */
class StreamingBoundedHeapTest {

  @TempDir Path dir;

  @Test
  void stream64MiB_inA32MiBHeap_roundTrips() throws Exception {
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process child = new ProcessBuilder(List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
        StreamingBoundedHeapMain.class.getName(), dir.toString(), "64"))
        .redirectErrorStream(true)
        .start();
    boolean exited = child.waitFor(5, TimeUnit.MINUTES);
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!exited) {
      child.destroyForcibly();
    }

    assertThat(exited).as("child finished; output:%n%s", output).isTrue();
    assertThat(child.exitValue()).as("child exit code; output:%n%s", output).isZero();
    assertThat(output).contains("object 64 MiB", "digests equal: true");
  }
}
