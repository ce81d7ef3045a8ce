package dev.safeguards.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a {@link ReencryptionJob} keeps its {@link ReencryptionCheckpoint}: a file by default ({@link #file}), or any
 * durable store the application has (a row in its database) through this small SPI.
 */
public interface ReencryptionCheckpoints {

  /**
   * The saved checkpoint, if any.
   *
   * @return the last checkpoint saved and not cleared; empty if there is none
   * @throws IOException if the store cannot be read, or holds something that is not a valid checkpoint (the job then
   *     stops rather than start over)
   */
  Optional<ReencryptionCheckpoint> load() throws IOException;

  /**
   * Saves {@code checkpoint} durably, replacing the previous one; when this returns, it survives a crash.
   *
   * @param checkpoint the pass's state after a batch; not null
   * @throws IOException if it cannot be saved; the previous checkpoint must then still be the one loaded
   */
  void save(ReencryptionCheckpoint checkpoint) throws IOException;

  /**
   * Forgets the checkpoint, so that the next run starts a new pass.
   *
   * @throws IOException if it cannot be removed
   */
  void clear() throws IOException;

  /**
   * Checkpoints in a JSON file, replaced atomically and forced to disk on every save (docs/encryption.md gives the
   * format). A file that is not a valid checkpoint makes {@link #load()} fail rather than restart silently.
   *
   * @param file the checkpoint file; created (owner only, with its directory) on the first save, deleted by
   *     {@link #clear()}; not null
   * @return the store
   * @throws NullPointerException if {@code file} is null
   */
  static ReencryptionCheckpoints file(Path file) {
    return new FileReencryptionCheckpoints(file);
  }
}
