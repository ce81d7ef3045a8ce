package dev.safeguards.crypto;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;

/**
 * Child JVM for {@link ArchiveCrashTest}: writes sealed archives {@code archive-<k>.sga} one after another, printing
 * {@code added <k> <i>} after each entry and {@code finished <k>} after each {@code finish()}, until it is killed.
 */
public final class ArchiveChildMain {

  private ArchiveChildMain() {}

  /**
   * Runs the loop.
   *
   * @param args the master key file, the key directory and the archive directory
   * @throws Exception on any failure, which ends the child
   */
  public static void main(String[] args) throws Exception {
    Keyring keys = Keyring.open(Path.of(args[1]), KeyEncryptionKey.fromMasterKeyFile(Path.of(args[0])),
        Clock.systemUTC());
    StreamingCipher cipher = keys.streamingCipher();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
    Random random = new Random();
    for (int k = 0; ; k++) {
      try (SealedArchive.Writer writer = SealedArchive.create(Path.of(args[2], "archive-" + k + ".sga"), cipher,
          Clock.systemUTC())) {
        for (int i = 0; i < 4; i++) {
          byte[] data = new byte[random.nextInt(300_000)];
          random.nextBytes(data);
          writer.add("entry-" + i, data);
          out.println("added " + k + " " + i);
        }
        writer.finish();
      }
      out.println("finished " + k);
    }
  }
}
