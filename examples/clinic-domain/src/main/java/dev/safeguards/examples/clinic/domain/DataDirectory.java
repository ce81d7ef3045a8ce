package dev.safeguards.examples.clinic.domain;

import dev.safeguards.audit.AuditSealing;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.Keyring;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clinic's data directory, created on first use: every key encrypted under the master key, the SQLite database whose
 * PHI columns are ciphertext, the audit log, and the TLS key store (sealed too).
 *
 * <pre>
 * DIR/master.key                         the local master key (unless SAFEGUARDS_MASTER_KEY or --master-key-file)
 * DIR/keys/*.keyset.json                 field encryption, blind index, streaming (backups), record signing,
 *                                        demo token signing, audit checkpoints, audit identities and their
 *                                        index: all sealed under the master key
 * DIR/keys/audit-checkpoint.pub          the public keys that verify the audit log's checkpoints (a JWK set)
 * DIR/tls/server.p12.sealed, server.crt  the TLS key store, sealed; its self-signed certificate, for clients
 * DIR/db/                                the SQLite database (clinic.db, write-ahead log)
 * DIR/audit/                             the tamper-evident audit log
 * DIR/users.properties                   demo user names and their stable user ids
 * </pre>
 */
public final class DataDirectory {

  /** The environment variable that holds the master key, when it is not a file. */
  public static final String MASTER_KEY_VARIABLE = "SAFEGUARDS_MASTER_KEY";

  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

  private final Path root;
  private final KeyEncryptionKey kek;
  private final Clock clock;
  private final Keyring keyring;

  private DataDirectory(Path root, KeyEncryptionKey kek, Clock clock, Keyring keyring) {
    this.root = root;
    this.kek = kek;
    this.clock = clock;
    this.keyring = keyring;
  }

  /**
   * Opens {@code root}, creating it and its keys on first use.
   *
   * @param masterKeyFile where the master key is kept; empty: the environment variable if set, else DIR/master.key
   */
  public static DataDirectory open(Path root, Optional<Path> masterKeyFile, Clock clock)
      throws IOException, KeyManagementException {
    Path dir = root.toAbsolutePath().normalize();
    ownerOnlyDirectory(dir);
    for (String sub : new String[] {"keys", "db", "audit", "tls"}) {
      ownerOnlyDirectory(dir.resolve(sub));
    }
    KeyEncryptionKey kek = masterKey(dir, masterKeyFile);
    Keyring keyring = Keyring.openOrCreate(dir.resolve("keys"), kek, clock);
    DataDirectory data = new DataDirectory(dir, kek, clock, keyring);
    SigningKeyset checkpoints = data.auditCheckpointKeys();
    Path pub = data.auditCheckpointPublicKey();
    String jwks = checkpoints.publicJwks();
    if (!Files.exists(pub) || !Files.readString(pub, StandardCharsets.UTF_8).equals(jwks)) {
      Files.writeString(pub, jwks, StandardCharsets.UTF_8);
    }
    return data;
  }

  private static KeyEncryptionKey masterKey(Path dir, Optional<Path> file) throws KeyManagementException {
    if (file.isPresent()) {
      return KeyEncryptionKey.fromMasterKeyFile(file.get());
    }
    String fromEnvironment = System.getenv(MASTER_KEY_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return KeyEncryptionKey.fromEnvironment(MASTER_KEY_VARIABLE);
    }
    Path local = dir.resolve("master.key");
    if (Files.exists(local)) {
      return KeyEncryptionKey.fromMasterKeyFile(local);
    }
    LOG.warn("generated a local master key in {}: for anything but a demo, keep it in a secret manager "
        + "({}, or a master key file on another volume) or use a cloud KMS, never beside the data it protects", local,
        MASTER_KEY_VARIABLE);
    return KeyEncryptionKey.generateMasterKeyFile(local);
  }

  public static void ownerOnlyDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  public Path root() {
    return root;
  }

  public Clock clock() {
    return clock;
  }

  public Keyring keyring() {
    return keyring;
  }

  public Path auditDirectory() {
    return root.resolve("audit");
  }

  public Path databaseDirectory() {
    return root.resolve("db");
  }

  public Path tlsDirectory() {
    return root.resolve("tls");
  }

  public Path usersFile() {
    return root.resolve("users.properties");
  }

  public Path auditCheckpointPublicKey() {
    return root.resolve("keys").resolve("audit-checkpoint.pub");
  }

  /** The keys that sign the audit log's checkpoints (Ed25519). */
  public ManagedKeyset auditCheckpointKeyset() throws KeyManagementException {
    return keyset("audit-checkpoint.keyset.json", KeyPurpose.RECORD_SIGNING_ED25519);
  }

  public SigningKeyset auditCheckpointKeys() throws KeyManagementException {
    return SigningKeyset.create(auditCheckpointKeyset());
  }

  /**
   * What seals the identifying members of audit events (who, which patient, from where) and indexes them for review:
   * keysets of the audit log's own, apart from the patient table's.
   */
  public AuditSealing auditSealing() throws KeyManagementException {
    return AuditSealing.create(keyset("audit-identity.keyset.json", KeyPurpose.FIELD_ENCRYPTION),
        keyset("audit-index.keyset.json", KeyPurpose.BLIND_INDEX));
  }

  /** The keys that sign patient records in their authors' names (Ed25519). */
  public ManagedKeyset recordSigningKeyset() throws KeyManagementException {
    return keyset(KeyPurpose.RECORD_SIGNING_ED25519.fileName() + ".keyset.json", KeyPurpose.RECORD_SIGNING_ED25519);
  }

  /**
   * The demo identity provider's token-signing keys. A real deployment verifies its identity provider's tokens
   * against the provider's JWKS instead (see docs/authentication.md).
   */
  public ManagedKeyset tokenSigningKeyset() throws KeyManagementException {
    return keyset(KeyPurpose.TOKEN_SIGNING_ED25519.fileName() + ".keyset.json", KeyPurpose.TOKEN_SIGNING_ED25519);
  }

  public SigningKeyset tokenSigningKeys() throws KeyManagementException {
    return SigningKeyset.create(tokenSigningKeyset());
  }

  private ManagedKeyset keyset(String fileName, KeyPurpose purpose) throws KeyManagementException {
    return ManagedKeyset.openOrCreate(root.resolve("keys").resolve(fileName), purpose, kek, clock);
  }
}
