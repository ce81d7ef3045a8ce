package dev.safeguards.authn;

import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.UserId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

/** Keys and grants for token tests; every key is generated per test. */
final class TokenFixtures {

  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String ISSUER = "https://auth.clinic.example";
  static final String AUDIENCE = "https://api.clinic.example";
  static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");

  private TokenFixtures() {}

  static SigningKeyset signingKeys(Path dir, KeyPurpose purpose) throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master-" + purpose.fileName() + ".key"));
    return SigningKeyset.create(ManagedKeyset.create(dir.resolve(purpose.fileName() + ".json"), purpose, kek, CLOCK));
  }

  static AccessGrant grant(Set<String> amr) {
    return new AccessGrant(ALICE, Set.of("clinician"), Set.of("patient.read"), amr, NOW.minusSeconds(60), "s-1",
        Optional.of("web"));
  }
}
