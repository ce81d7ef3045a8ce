package dev.safeguards.cli;

import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.MasterKeyException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the master key (the key-encryption key that seals the keyset files) comes from: {@code --master-key-file},
 * else the environment variable {@value #ENVIRONMENT_VARIABLE}. The key itself is never an argument, so that it
 * cannot end up in a shell history or a process list.
 */
final class MasterKeyOption {

  /** The environment variable read when no master key file is given. */
  static final String ENVIRONMENT_VARIABLE = "SAFEGUARDS_MASTER_KEY";

  @Option(names = "--master-key-file", paramLabel = "FILE",
      description = "The master key file (sg-master-key-v1:...). Default: the environment variable "
          + ENVIRONMENT_VARIABLE + ".")
  private Path file;

  /** The master key. */
  KeyEncryptionKey load() {
    return load(file);
  }

  /** The master key from {@code file}, or from the environment when {@code file} is null. */
  static KeyEncryptionKey load(Path file) {
    try {
      if (file != null) {
        return KeyEncryptionKey.fromMasterKeyFile(file);
      }
      return KeyEncryptionKey.fromEnvironment(ENVIRONMENT_VARIABLE);
    } catch (MasterKeyException e) {
      throw CliException.input(e.getMessage()
          + (file == null ? " (pass --master-key-file FILE or set " + ENVIRONMENT_VARIABLE + ")" : ""));
    }
  }
}
