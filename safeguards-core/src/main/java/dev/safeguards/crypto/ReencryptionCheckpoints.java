package dev.safeguards.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a {@link ReencryptionJob} keeps its {@link ReencryptionCheckpoint}: a file by default ({@link #file}), or any
 * durable store the application has (a row in its database) through this small SPI.
 */
public interface ReencryptionCheckpoints {

  /** The saved checkpoint, if any. */
  Optional<ReencryptionCheckpoint> load() throws IOException;

  /** Saves {@code checkpoint} durably, replacing the previous one; when this returns, it survives a crash. */
  void save(ReencryptionCheckpoint checkpoint) throws IOException;

  /** Forgets the checkpoint, so that the next run starts a new pass. */
  void clear() throws IOException;

  /**
   * Checkpoints in a JSON file, replaced atomically and forced to disk on every save (docs/encryption.md gives the
   * format). A file that is not a valid checkpoint makes {@link #load()} fail rather than restart silently.
   */
  static ReencryptionCheckpoints file(Path file) {
    return new FileReencryptionCheckpoints(file);
  }
}
