package dev.safeguards.crypto;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Fixtures: keys are generated per test, never committed. */
final class TestKeys {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:15:30.123Z"), ZoneOffset.UTC);

  private TestKeys() {}

  static KeyEncryptionKey masterKey(Path dir) throws KeyManagementException {
    return KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key"));
  }

  static Keyring keyring(Path dir) throws KeyManagementException {
    return Keyring.openOrCreate(dir.resolve("keys"), masterKey(dir), CLOCK);
  }
}
