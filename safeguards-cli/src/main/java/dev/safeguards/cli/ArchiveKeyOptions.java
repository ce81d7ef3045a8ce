package dev.safeguards.cli;

import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.Keyring;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.StreamingCipher;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --keys KEYDIR} and the master key: the streaming-encryption keyset that seals archives. Only that keyset
 * file is needed, so a restore host needs only the escrowed {@code streaming-encryption.keyset.json} and master key.
 */
final class ArchiveKeyOptions {

  @Option(names = "--keys", required = true, paramLabel = "KEYDIR",
      description = "The key directory holding streaming-encryption.keyset.json.")
  private Path directory;

  @Mixin
  private MasterKeyOption masterKey;

  /** The cipher of the streaming-encryption keyset in the key directory. */
  StreamingCipher cipher(Clock clock) {
    Inputs.directory(directory, "key directory (--keys)");
    Path file = Keyring.fileFor(directory, KeyPurpose.STREAMING_ENCRYPTION);
    Inputs.file(file, "streaming-encryption keyset file");
    try {
      return StreamingCipher.create(
          ManagedKeyset.open(file, KeyPurpose.STREAMING_ENCRYPTION, masterKey.load(), clock));
    } catch (KeyManagementException e) {
      throw CliException.input(e.getMessage());
    }
  }
}
