package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGKILL at any moment of writing a sealed archive never leaves a partial archive under an archive's name: every
 * {@code .sga} file there verifies, and every archive whose {@code finish()} returned is there.
 */
class ArchiveCrashTest {

  @TempDir Path dir;

  @Test
  void sigkillWhileWritingArchives_leavesOnlyCompleteArchivesUnderTheirNames() throws Exception {
    Keyring keys = TestKeys.keyring(dir);
    Path archives = Files.createDirectories(dir.resolve("archives"));
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Set<String> finished = new HashSet<>();
    for (int round = 0; round < 3; round++) {
      Path roundDir = Files.createDirectories(archives.resolve("round-" + round));
      int killAfter = 1 + random.nextInt(12);
      Process child = ChildJvm.start(ArchiveChildMain.class, dir.resolve("master.key").toString(),
          dir.resolve("keys").toString(), roundDir.toString());
      int events = 0;
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        while (events < killAfter && (line = out.readLine()) != null) {
          if (line.startsWith("finished ")) {
            finished.add(roundDir.resolve("archive-" + line.substring(9) + ".sga").toString());
          }
          events += line.startsWith("added ") || line.startsWith("finished ") ? 1 : 0;
        }
        child.destroyForcibly();
        assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
      }
      assertThat(events).as("seed %d round %d: the child made progress", seed, round).isEqualTo(killAfter);
    }

    Set<String> present = new HashSet<>();
    try (Stream<Path> files = Files.walk(archives)) {
      for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".sga")).toList()) {
        present.add(p.toString());
        ArchiveManifest manifest = SealedArchive.verify(p, keys.streamingCipher());
        assertThat(manifest.entryCount()).as("seed %d: %s", seed, p).isEqualTo(4);
      }
    }
    assertThat(present).as("seed %d", seed).containsAll(finished);
  }
}
