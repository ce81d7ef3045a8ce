package dev.safeguards.benchmarks;

import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.Keyring;
import dev.safeguards.crypto.ManagedKeyset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/** Keys generated for one benchmark run in a temporary directory, deleted afterwards; nothing is committed. */
final class Keys implements AutoCloseable {

  final Path dir;
  final KeyEncryptionKey kek;
  final Clock clock = Clock.systemUTC();

  Keys() throws Exception {
    dir = Files.createTempDirectory("safeguards-bench");
    kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key"));
  }

  Keyring keyring() throws Exception {
    return Keyring.openOrCreate(dir.resolve("keys"), kek, clock);
  }

  ManagedKeyset keyset(String name, KeyPurpose purpose) throws Exception {
    return ManagedKeyset.openOrCreate(dir.resolve(name), purpose, kek, clock);
  }

  @Override
  public void close() throws IOException {
    delete(dir);
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
