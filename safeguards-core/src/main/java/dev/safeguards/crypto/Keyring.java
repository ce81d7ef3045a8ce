package dev.safeguards.crypto;

import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The keys of one application: a directory holding one {@link ManagedKeyset} file per {@link KeyPurpose}, all sealed
 * under the same {@link KeyEncryptionKey} (164.312(a)(2)(iv)). It is the usual entry point:
 *
 * <pre>{@code
 * KeyEncryptionKey kek = KeyEncryptionKey.fromEnvironment("SAFEGUARDS_MASTER_KEY");
 * Keyring keys = Keyring.openOrCreate(Path.of("/var/lib/app/keys"), kek, Clock.systemUTC());
 * FieldCipher cipher = keys.fieldCipher();
 * String ssnCiphertext = cipher.encrypt("123-45-6789", FieldContext.of("Patient", patientId, "ssn"));
 * }</pre>
 *
 * <p>Files are named {@code <purpose>.keyset.json} ({@code field-encryption.keyset.json},
 * {@code blind-index.keyset.json}, {@code streaming-encryption.keyset.json}). Instances are thread-safe.
 * Record-signing keysets live beside it as {@link ManagedKeyset}s of their own.
 */
public final class Keyring {

  /** The purposes a keyring holds. */
  public static final List<KeyPurpose> PURPOSES =
      List.of(KeyPurpose.FIELD_ENCRYPTION, KeyPurpose.BLIND_INDEX, KeyPurpose.STREAMING_ENCRYPTION);

  private final Path directory;
  private final Map<KeyPurpose, ManagedKeyset> keysets;
  private final FieldCipher fieldCipher;
  private final StreamingCipher streamingCipher;

  private Keyring(Path directory, Map<KeyPurpose, ManagedKeyset> keysets) {
    this.directory = directory;
    this.keysets = keysets;
    this.fieldCipher = FieldCipher.create(keysets.get(KeyPurpose.FIELD_ENCRYPTION));
    this.streamingCipher = StreamingCipher.create(keysets.get(KeyPurpose.STREAMING_ENCRYPTION));
  }

  /**
   * Opens the keyring in {@code directory}, generating any keyset that does not exist yet. A directory it creates is
   * accessible by its owner only.
   *
   * @param directory the directory of the keyset files; created if missing, not null
   * @param kek the key-encryption key: the one that sealed the existing files, and that seals the new ones; not null
   * @param clock dates the keys it generates; not null
   * @return the keyring, with a field-encryption, a blind-index and a streaming-encryption keyset
   * @throws NullPointerException if an argument is null
   * @throws KeyManagementException if an existing keyset file is malformed, modified, or sealed under another KEK, or
   *     a directory or file cannot be created
   */
  public static Keyring openOrCreate(Path directory, KeyEncryptionKey kek, Clock clock) throws KeyManagementException {
    return load(directory, kek, clock, true);
  }

  /**
   * Opens the keyring in {@code directory}; every keyset file must exist.
   *
   * @param directory the directory of the keyset files; not null
   * @param kek the key-encryption key that sealed them; not null
   * @param clock dates the keys that later rotations generate; not null
   * @return the keyring
   * @throws NullPointerException if an argument is null
   * @throws KeyManagementException if a keyset file is missing, malformed, modified, or sealed under another KEK
   */
  public static Keyring open(Path directory, KeyEncryptionKey kek, Clock clock) throws KeyManagementException {
    return load(directory, kek, clock, false);
  }

  private static Keyring load(Path directory, KeyEncryptionKey kek, Clock clock, boolean create)
      throws KeyManagementException {
    Objects.requireNonNull(directory, "directory");
    if (create) {
      try {
        AtomicFiles.createOwnerOnlyDirectories(directory);
      } catch (IOException e) {
        throw new KeysetFileException("cannot create key directory " + directory + ": " + e.getClass().getSimpleName(), e);
      }
    }
    Map<KeyPurpose, ManagedKeyset> keysets = new EnumMap<>(KeyPurpose.class);
    for (KeyPurpose purpose : PURPOSES) {
      Path file = fileFor(directory, purpose);
      keysets.put(purpose, create
          ? ManagedKeyset.openOrCreate(file, purpose, kek, clock)
          : ManagedKeyset.open(file, purpose, kek, clock));
    }
    return new Keyring(directory, keysets);
  }

  /**
   * The file that holds the keyset of {@code purpose} in {@code directory}.
   *
   * @param directory a keyring directory; not null
   * @param purpose any purpose; not null
   * @return {@code <directory>/<purpose>.keyset.json}, whether or not it exists
   */
  public static Path fileFor(Path directory, KeyPurpose purpose) {
    return directory.resolve(purpose.fileName() + ".keyset.json");
  }

  /**
   * The directory of the keyset files.
   *
   * @return the directory as it was given when the keyring was opened
   */
  public Path directory() {
    return directory;
  }

  /**
   * The keyset of one purpose, for rotation and key life-cycle changes.
   *
   * @param purpose one of {@link #PURPOSES}; not null
   * @return the keyset the keyring's ciphers use: its changes apply to them at once
   * @throws NullPointerException if {@code purpose} is null
   * @throws IllegalArgumentException if the purpose is not one of {@link #PURPOSES}
   */
  public ManagedKeyset keyset(KeyPurpose purpose) {
    ManagedKeyset keyset = keysets.get(Objects.requireNonNull(purpose, "purpose"));
    if (keyset == null) {
      throw new IllegalArgumentException("a keyring holds no " + purpose.fileName() + " keyset");
    }
    return keyset;
  }

  /**
   * The cipher for per-field encryption.
   *
   * @return the one cipher over the field-encryption keyset; the same instance on every call
   */
  public FieldCipher fieldCipher() {
    return fieldCipher;
  }

  /**
   * Starts building a blind index for one field; see {@link BlindIndex#builder}.
   *
   * @param entityType the kind of record, e.g. {@code Patient}
   * @param fieldName the indexed field, e.g. {@code ssn}
   * @return a builder over the blind-index keyset
   * @throws NullPointerException if a name is null
   * @throws IllegalArgumentException if a name is empty, longer than {@value FieldContext#MAX_LENGTH} characters, or
   *     holds a control character
   */
  public BlindIndex.Builder blindIndex(String entityType, String fieldName) {
    return BlindIndex.builder(keysets.get(KeyPurpose.BLIND_INDEX), entityType, fieldName);
  }

  /**
   * The cipher for large objects.
   *
   * @return the one cipher over the streaming-encryption keyset; the same instance on every call
   */
  public StreamingCipher streamingCipher() {
    return streamingCipher;
  }

  /**
   * Its keysets for the compliance report (164.312(a)(2)(iv)): per-field AES-256-GCM, blind indexes and streaming
   * encryption, every keyset sealed under the KEK. Never key material.
   *
   * @return encryption at rest met, with the directory and, per purpose, the key type, primary key id and key count
   */
  public Evidence evidence() {
    Evidence.Builder e = Evidence.of("Keyring").serves(Specification.ENCRYPTION_AT_REST, Status.MET)
        .setting("directory", directory.toString());
    for (KeyPurpose p : PURPOSES) {
      ManagedKeyset k = keysets.get(p);
      e.setting(p.fileName() + ".keyType", p.keyType())
          .setting(p.fileName() + ".primaryKey", k.primaryKeyId().toString())
          .setting(p.fileName() + ".keys", (long) k.inventory().size());
    }
    return e.build();
  }

  /**
   * Every key of every purpose, never material: the key part of the asset inventory.
   *
   * @return an unmodifiable list: the keys of each purpose in the order of {@link #PURPOSES}, each in generation
   *     order, destroyed ones included
   */
  public List<KeyInfo> inventory() {
    List<KeyInfo> all = new ArrayList<>();
    keysets.values().forEach(k -> all.addAll(k.inventory()));
    return List.copyOf(all);
  }

  /**
   * Re-reads every keyset file, picking up changes made by another process.
   *
   * @throws KeyManagementException if a keyset file is now missing, malformed or modified: that keyset and those after
   *     it (in the order of {@link #PURPOSES}) keep their previous state, those before it are already reloaded
   */
  public void reload() throws KeyManagementException {
    for (ManagedKeyset keyset : keysets.values()) {
      keyset.reload();
    }
  }

  @Override
  public String toString() {
    return "Keyring[" + directory + "]";
  }
}
