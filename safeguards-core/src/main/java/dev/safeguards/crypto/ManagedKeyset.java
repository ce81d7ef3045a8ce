package dev.safeguards.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.internal.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keyset of one {@link KeyPurpose}, stored in a file that is encrypted under a {@link KeyEncryptionKey}
 * (164.312(a)(2)(iv)).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The file never holds key material in the clear: the Tink keyset inside it is sealed with the KEK, and the
 *       key metadata beside it (ids, statuses, creation times) is bound to that seal as associated data, so editing
 *       either is detected when the file is opened. The format is specified in docs/encryption.md.
 *   <li>Every change is written to a temporary file, forced to disk and renamed over the old file, under an exclusive
 *       lock on {@code <file>.lock} after re-reading the file: a crash or a concurrent change by another process never
 *       loses a key.
 *   <li>Rotation never makes data unreadable: old keys keep decrypting; {@link #disable} and {@link #destroy} refuse
 *       the primary key and any key without a {@link ReencryptionConfirmation} that covers it.
 *   <li>{@link #inventory()} lists every key ever generated in this keyset, destroyed ones included, without
 *       material.
 * </ul>
 *
 * <p>Instances are thread-safe. Ciphers built on a keyset ({@link FieldCipher#create}, {@link BlindIndex#builder},
 * {@link StreamingCipher#create}) follow its changes at once. Other processes sharing the file see a change after
 * {@link #reload()}; to rotate a fleet without an unreadable window, {@link #addKey()} everywhere, reload, then
 * {@link #promote} (see docs/encryption.md).
 */
public final class ManagedKeyset {

  static final String FORMAT = "safeguards-keyset/v1";

  private static final Logger LOG = LoggerFactory.getLogger(ManagedKeyset.class);

  /**
   * One lock per lock file for this process: a file lock is held per process, so threads and instances of one process
   * must queue here before they take it. One small entry per keyset file ever opened.
   */
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

  private final Path file;
  private final KeyPurpose purpose;
  private final KeyEncryptionKey kek;
  private final Clock clock;
  private volatile Snapshot snapshot;

  private ManagedKeyset(Path file, KeyPurpose purpose, KeyEncryptionKey kek, Clock clock, Snapshot snapshot) {
    this.file = file;
    this.purpose = purpose;
    this.kek = kek;
    this.clock = clock;
    this.snapshot = snapshot;
  }

  /**
   * Generates a keyset with one primary key and writes it to {@code file}.
   *
   * @param file where to write the keyset; must not exist; its directory is created if missing; not null
   * @param purpose what the keys are for, which fixes their type; not null
   * @param kek seals the file; every later open needs the same key; not null
   * @param clock dates the keys this instance generates; not null
   * @return the keyset, with one enabled primary key
   * @throws NullPointerException if an argument is null
   * @throws KeysetFileException if the file exists (a keyset is never overwritten) or cannot be written
   */
  public static ManagedKeyset create(Path file, KeyPurpose purpose, KeyEncryptionKey kek, Clock clock)
      throws KeyManagementException {
    return createOrOpen(file, purpose, kek, clock, false);
  }

  /**
   * Opens an existing keyset file and checks that it is intact and of the expected purpose.
   *
   * @param file the keyset file; not null
   * @param purpose the purpose the file must have; not null
   * @param kek the key that sealed the file; not null
   * @param clock dates the keys that later rotations generate; not null
   * @return the keyset as the file holds it
   * @throws NullPointerException if an argument is null
   * @throws KeysetFileException if the file is missing, malformed, of another purpose, was modified, or cannot be
   *     decrypted with {@code kek}
   */
  public static ManagedKeyset open(Path file, KeyPurpose purpose, KeyEncryptionKey kek, Clock clock)
      throws KeyManagementException {
    checkArguments(file, purpose, kek, clock);
    ManagedKeyset keyset = new ManagedKeyset(file, purpose, kek, clock, null);
    keyset.snapshot = keyset.read();
    return keyset;
  }

  /**
   * Opens {@code file} if it exists, otherwise {@link #create creates} it. Decided under the file lock, so processes
   * starting together agree on one keyset.
   *
   * @param file the keyset file; its directory is created if missing; not null
   * @param purpose the purpose the file has, or will have; not null
   * @param kek the key that sealed the file, or that seals the new one; not null
   * @param clock dates the keys this instance generates; not null
   * @return the keyset
   * @throws NullPointerException if an argument is null
   * @throws KeysetFileException if an existing file is malformed, of another purpose, was modified, or cannot be
   *     decrypted with {@code kek}, or if the file cannot be locked or written
   */
  public static ManagedKeyset openOrCreate(Path file, KeyPurpose purpose, KeyEncryptionKey kek, Clock clock)
      throws KeyManagementException {
    return createOrOpen(file, purpose, kek, clock, true);
  }

  @SuppressWarnings("try") // the lock is held for the block's duration, not referenced
  private static ManagedKeyset createOrOpen(
      Path file, KeyPurpose purpose, KeyEncryptionKey kek, Clock clock, boolean openExisting)
      throws KeyManagementException {
    checkArguments(file, purpose, kek, clock);
    ManagedKeyset keyset = new ManagedKeyset(file, purpose, kek, clock, null);
    try (HeldLock lock = keyset.lock()) {
      if (Files.exists(file)) {
        if (!openExisting) {
          throw new KeysetFileException("keyset file already exists and is never overwritten: " + file);
        }
        keyset.snapshot = keyset.read();
        return keyset;
      }
      Change change = keyset.withNewKey(null, true);
      Snapshot first = new Snapshot(change.handle(), reconcile(change.handle(), change.keys()));
      keyset.write(first, false);
      keyset.snapshot = first;
    }
    LOG.info("created {} keyset {} with primary key {}", purpose.fileName(), file, keyset.primaryKeyId());
    return keyset;
  }

  /**
   * Its settings for the compliance report: a record-signing keyset serves 164.312(c)(2) (signed records); the
   * encryption purposes serve 164.312(a)(2)(iv). Never key material.
   *
   * @return the file, key type, primary key id and key count; integrity met for the record-signing and record-MAC
   *     purposes, encryption at rest met for field and streaming encryption, no specification for the others
   */
  public Evidence evidence() {
    Evidence.Builder e = Evidence.of("ManagedKeyset (" + purpose.fileName() + ")")
        .setting("file", file.toString()).setting("keyType", purpose.keyType())
        .setting("primaryKey", primaryKeyId().toString()).setting("keys", (long) inventory().size());
    switch (purpose) {
      case RECORD_SIGNING_ED25519, RECORD_SIGNING_P256, RECORD_MAC ->
          e.serves(Specification.INTEGRITY_AUTHENTICATION, Status.MET);
      case FIELD_ENCRYPTION, STREAMING_ENCRYPTION -> e.serves(Specification.ENCRYPTION_AT_REST, Status.MET);
      default -> { }
    }
    return e.build();
  }

  /**
   * What this keyset's keys are for.
   *
   * @return the purpose given when it was opened or created
   */
  public KeyPurpose purpose() {
    return purpose;
  }

  /**
   * The keyset file.
   *
   * @return the path as it was given when the keyset was opened or created
   */
  public Path file() {
    return file;
  }

  /**
   * The id of the key that encrypts new data.
   *
   * @return the primary key id of the state this instance holds (see {@link #reload()})
   */
  public KeyId primaryKeyId() {
    return snapshot.primary();
  }

  /**
   * Every key of this keyset, in generation order, destroyed ones included; never key material.
   *
   * @return an unmodifiable list of the state this instance holds
   */
  public List<KeyInfo> inventory() {
    return snapshot.keys();
  }

  /**
   * Generates a new key and makes it primary in one step: new data is encrypted under it at once, and every older
   * key keeps decrypting. When several processes share this keyset, prefer {@link #addKey()} then {@link #promote}.
   *
   * <p>Like every change, it is made under the file lock to the keyset as the file holds it then, so that a change
   * another process made is kept, and the file is replaced atomically: a failure before the replacement leaves the
   * file and this instance as they were.
   *
   * @return the new primary key
   * @throws KeysetFileException if the file cannot be locked, read or written, or is missing, malformed or modified
   */
  public KeyInfo rotate() throws KeyManagementException {
    KeyInfo added = change(current -> withNewKey(current, true));
    LOG.info("rotated {} keyset {}: new primary key {}", purpose.fileName(), file, added.keyId());
    return added;
  }

  /**
   * Generates a new enabled key that is not yet primary, so that every process can load it (and decrypt with it)
   * before {@link #promote} makes it encrypt.
   *
   * @return the new key: enabled, not primary
   * @throws KeysetFileException if the file cannot be locked, read or written, or is missing, malformed or modified
   */
  public KeyInfo addKey() throws KeyManagementException {
    KeyInfo added = change(current -> withNewKey(current, false));
    LOG.info("added key {} to {} keyset {}", added.keyId(), purpose.fileName(), file);
    return added;
  }

  /**
   * Makes an enabled key the primary one. The previous primary key stays enabled.
   *
   * @param keyId the key to promote; not null
   * @return the key, now primary
   * @throws KeyStateException if the key is not in the keyset or is not enabled
   * @throws KeysetFileException if the file cannot be locked, read or written, or is missing, malformed or modified
   */
  public KeyInfo promote(KeyId keyId) throws KeyManagementException {
    KeyInfo promoted = change(current -> {
      int index = indexOf(current, keyId);
      KeysetHandle.Builder builder = TinkRuntime.newBuilder(current.handle());
      if (builder.getAt(index).getStatus() != com.google.crypto.tink.KeyStatus.ENABLED) {
        throw new KeyStateException("key " + keyId + " is not enabled and cannot become primary");
      }
      builder.getAt(index).makePrimary();
      return new Change(build(builder), current.keys(), keyId);
    });
    LOG.info("promoted key {} to primary in {} keyset {}", keyId, purpose.fileName(), file);
    return promoted;
  }

  /**
   * Stops a key from decrypting, reversibly. Refused for the primary key and for a key that {@code confirmation}
   * does not cover, because values still under it would become unreadable.
   *
   * @param keyId the key to disable; not null
   * @param confirmation evidence that no value remains under the key: it must {@link ReencryptionConfirmation#covers
   *     cover} this keyset's purpose and {@code keyId}; not null
   * @return the key, now disabled
   * @throws NullPointerException if {@code confirmation} is null
   * @throws KeyStateException if refused, or if the key is not in the keyset
   * @throws KeysetFileException if the file cannot be locked, read or written, or is missing, malformed or modified
   */
  public KeyInfo disable(KeyId keyId, ReencryptionConfirmation confirmation) throws KeyManagementException {
    KeyInfo disabled = change(current -> {
      requireRetirable(current, keyId, confirmation, "disabled");
      return statusChange(current, keyId, KeyStatus.DISABLED);
    });
    LOG.info("disabled key {} of {} keyset {} ({})", keyId, purpose.fileName(), file, confirmation.basis());
    return disabled;
  }

  /**
   * Lets a disabled key decrypt again.
   *
   * @param keyId the key to enable; not null
   * @return the key, now enabled (not primary)
   * @throws KeyStateException if the key is not in the keyset or was destroyed
   * @throws KeysetFileException if the file cannot be locked, read or written, or is missing, malformed or modified
   */
  public KeyInfo enable(KeyId keyId) throws KeyManagementException {
    KeyInfo enabled = change(current -> {
      return statusChange(current, keyId, KeyStatus.ENABLED);
    });
    LOG.info("enabled key {} of {} keyset {}", keyId, purpose.fileName(), file);
    return enabled;
  }

  /**
   * Erases a key's material for good; its inventory entry stays, marked destroyed. Refused for the primary key and for
   * a key that {@code confirmation} does not cover. Copies of the keyset file made earlier (backups) still hold the
   * key: destroy those too where the key must be gone everywhere.
   *
   * @param keyId the key to destroy; not null
   * @param confirmation evidence that no value remains under the key: it must {@link ReencryptionConfirmation#covers
   *     cover} this keyset's purpose and {@code keyId}; not null
   * @return the key's inventory entry, now destroyed
   * @throws NullPointerException if {@code confirmation} is null
   * @throws KeyStateException if refused, if the key is not in the keyset, or if it was destroyed already
   * @throws KeysetFileException if the file cannot be locked, read or written, or is missing, malformed or modified
   */
  public KeyInfo destroy(KeyId keyId, ReencryptionConfirmation confirmation) throws KeyManagementException {
    KeyInfo destroyed = change(current -> {
      requireRetirable(current, keyId, confirmation, "destroyed");
      return statusChange(current, keyId, KeyStatus.DESTROYED);
    });
    LOG.info("destroyed key {} of {} keyset {} ({})", keyId, purpose.fileName(), file, confirmation.basis());
    return destroyed;
  }

  /**
   * Reads the file again, picking up changes another process made.
   *
   * @throws KeysetFileException if the file is now missing, malformed or modified; the keyset then keeps its
   *     previous state
   */
  public void reload() throws KeyManagementException {
    snapshot = read();
  }

  /**
   * <b>Insecure:</b> returns the whole keyset, key material included, as Tink's cleartext JSON keyset. Use it only to
   * migrate keys into another key store; whoever holds the output can decrypt everything this keyset protects.
   * Each call is logged as a warning.
   *
   * @return the keyset of the state this instance holds, as UTF-8 JSON; overwrite the array once it is used
   * @throws KeysetFileException if the keyset cannot be serialized
   */
  public byte[] exportCleartextKeysetInsecure() throws KeyManagementException {
    LOG.warn("cleartext export of {} keyset {} requested", purpose.fileName(), file);
    try {
      return TinkJsonProtoKeysetFormat.serializeKeyset(snapshot.handle(), TinkRuntime.config(), InsecureSecretKeyAccess.get())
          .getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new KeysetFileException("cannot serialize " + purpose.fileName() + " keyset", e);
    }
  }

  @Override
  public String toString() {
    return "ManagedKeyset[" + purpose.fileName() + ", " + file + ", primary " + primaryKeyId() + "]";
  }

  /** The current immutable state; ciphers read it once per operation. */
  Snapshot snapshot() {
    return snapshot;
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** A change computed from the state on disk: the new Tink keyset, the new inventory, and the key it concerns. */
  private record Change(KeysetHandle handle, List<KeyInfo> keys, KeyId subject) {}

  @FunctionalInterface
  private interface Mutation {
    Change apply(Snapshot current) throws KeyManagementException;
  }

  @SuppressWarnings("try") // the lock is held for the block's duration, not referenced
  private KeyInfo change(Mutation mutation) throws KeyManagementException {
    try (HeldLock lock = lock()) {
      Snapshot current = read();
      Change change = mutation.apply(current);
      Snapshot next = new Snapshot(change.handle(), reconcile(change.handle(), change.keys()));
      write(next, true);
      snapshot = next;
      return next.find(change.subject()).orElseThrow();
    }
  }

  /** Adds a generated key to {@code current}, or to a new keyset when {@code current} is null. */
  private Change withNewKey(Snapshot current, boolean primary) throws KeyManagementException {
    List<KeyInfo> keys = new ArrayList<>(current == null ? List.of() : current.keys());
    Set<Integer> taken = new HashSet<>();
    keys.forEach(k -> taken.add(k.keyId().value()));
    KeysetHandle.Builder builder =
        current == null ? TinkRuntime.newBuilder() : TinkRuntime.newBuilder(current.handle());
    KeysetHandle.Builder.Entry entry = KeysetHandle.generateEntryFromParameters(TinkRuntime.parameters(purpose));
    int id;
    do {
      id = KeysetFiles.randomKeyId();
    } while (taken.contains(id)); // ids of destroyed keys are never reused
    entry.withFixedId(id);
    if (primary) {
      entry.makePrimary();
    }
    builder.addEntry(entry);
    KeyId keyId = new KeyId(id);
    keys.add(new KeyInfo(keyId, purpose, purpose.keyType(), KeyStatus.ENABLED, primary,
        clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    return new Change(build(builder), keys, keyId);
  }

  private void requireRetirable(Snapshot current, KeyId keyId, ReencryptionConfirmation confirmation, String verb)
      throws KeyStateException {
    Objects.requireNonNull(confirmation, "confirmation");
    KeyInfo key = current.find(keyId)
        .orElseThrow(() -> new KeyStateException("key " + keyId + " is not in the " + purpose.fileName() + " keyset"));
    if (key.primary()) {
      throw new KeyStateException("key " + keyId + " is the primary key and cannot be " + verb + "; promote another");
    }
    if (!confirmation.covers(purpose, keyId)) {
      throw new KeyStateException("key " + keyId + " cannot be " + verb
          + " before re-encryption of its data is confirmed (run a ReencryptionJob, or pass an operator confirmation)");
    }
  }

  private int indexOf(Snapshot current, KeyId keyId) throws KeyStateException {
    KeysetHandle handle = current.handle();
    for (int i = 0; i < handle.size(); i++) {
      if (handle.getAt(i).getId() == keyId.value()) {
        return i;
      }
    }
    boolean destroyed = current.find(keyId).map(k -> k.status() == KeyStatus.DESTROYED).orElse(false);
    throw new KeyStateException(destroyed
        ? "key " + keyId + " was destroyed"
        : "key " + keyId + " is not in the " + purpose.fileName() + " keyset");
  }

  /** Sets a key's status in the Tink keyset (destroying removes it) and in the inventory. */
  private Change statusChange(Snapshot current, KeyId keyId, KeyStatus status) throws KeyManagementException {
    int index = indexOf(current, keyId);
    KeysetHandle.Builder builder = TinkRuntime.newBuilder(current.handle());
    switch (status) {
      case ENABLED -> builder.getAt(index).setStatus(com.google.crypto.tink.KeyStatus.ENABLED);
      case DISABLED -> builder.getAt(index).setStatus(com.google.crypto.tink.KeyStatus.DISABLED);
      case DESTROYED -> builder.deleteAt(index);
      default -> throw new AssertionError(status);
    }
    return new Change(build(builder), withStatus(current.keys(), keyId, status), keyId);
  }

  private static List<KeyInfo> withStatus(List<KeyInfo> keys, KeyId keyId, KeyStatus status) {
    List<KeyInfo> out = new ArrayList<>(keys.size());
    for (KeyInfo k : keys) {
      out.add(k.keyId().equals(keyId)
          ? new KeyInfo(k.keyId(), k.purpose(), k.keyType(), status, false, k.createdAt())
          : k);
    }
    return out;
  }

  /** Takes status and primary from the Tink keyset, which is authoritative, into the inventory. */
  private static List<KeyInfo> reconcile(KeysetHandle handle, List<KeyInfo> keys) {
    List<KeyInfo> out = new ArrayList<>(keys.size());
    for (KeyInfo k : keys) {
      KeyStatus status = k.status();
      boolean primary = false;
      for (int i = 0; i < handle.size(); i++) {
        KeysetHandle.Entry e = handle.getAt(i);
        if (e.getId() == k.keyId().value()) {
          status = KeysetFiles.fromTink(e.getStatus());
          primary = e.isPrimary();
        }
      }
      out.add(new KeyInfo(k.keyId(), k.purpose(), k.keyType(), status, primary, k.createdAt()));
    }
    return List.copyOf(out);
  }

  private static KeysetHandle build(KeysetHandle.Builder builder) throws KeyManagementException {
    try {
      return builder.build();
    } catch (GeneralSecurityException e) {
      throw new KeyStateException("the keyset change is not valid: " + e.getMessage(), e);
    }
  }

  /**
   * Takes the in-process lock of the file (threads and instances of this process), then the exclusive file lock
   * (other processes). Blocks until both are held.
   */
  private HeldLock lock() throws KeyManagementException {
    Path lockFile = file.toAbsolutePath().normalize().resolveSibling(file.getFileName() + ".lock");
    ReentrantLock inProcess = IN_PROCESS_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
    inProcess.lock();
    FileChannel channel = null;
    try {
      Files.createDirectories(lockFile.getParent());
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      channel.lock();
      return new HeldLock(inProcess, channel);
    } catch (IOException e) {
      closeQuietly(channel);
      inProcess.unlock();
      throw ioFailure("cannot lock keyset file " + file, e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the lock is released with the channel either way
      }
    }
  }

  private Snapshot read() throws KeyManagementException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new KeysetFileException("keyset file not found: " + file);
    } catch (IOException e) {
      throw ioFailure("cannot read keyset file " + file, e);
    }
    KeysetFiles.Parsed parsed = KeysetFiles.parse(bytes, file, purpose, kek);
    return new Snapshot(parsed.handle(), parsed.keys());
  }

  private void write(Snapshot next, boolean replace) throws KeyManagementException {
    byte[] bytes = KeysetFiles.serialize(next.handle(), next.keys(), purpose, kek, file);
    try {
      AtomicFiles.write(file, bytes, replace);
    } catch (FileAlreadyExistsException e) {
      throw new KeysetFileException("keyset file already exists and is never overwritten: " + file);
    } catch (IOException e) {
      throw ioFailure("cannot write keyset file " + file, e);
    }
  }

  private static KeysetFileException ioFailure(String message, IOException e) {
    return new KeysetFileException(message + ": " + e.getClass().getSimpleName(), e);
  }

  private static void checkArguments(Path file, KeyPurpose purpose, KeyEncryptionKey kek, Clock clock) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(kek, "kek");
    Objects.requireNonNull(clock, "clock");
  }

  /** The in-process lock and the exclusive lock on the keyset's lock file (released by closing its channel). */
  private record HeldLock(ReentrantLock inProcess, FileChannel channel) implements AutoCloseable {
    @Override
    public void close() throws KeysetFileException {
      try {
        channel.close();
      } catch (IOException e) {
        throw new KeysetFileException("cannot release keyset lock: " + e.getClass().getSimpleName(), e);
      } finally {
        inProcess.unlock();
      }
    }
  }

  /**
   * An immutable state of the keyset: the Tink keyset and the inventory. Primitives built from it are cached here,
   * so they are rebuilt only when the keyset changes.
   */
  static final class Snapshot {
    private final KeysetHandle handle;
    private final List<KeyInfo> keys;
    private final Map<Object, Object> primitives = new ConcurrentHashMap<>();

    Snapshot(KeysetHandle handle, List<KeyInfo> keys) {
      this.handle = handle;
      this.keys = List.copyOf(keys);
    }

    KeysetHandle handle() {
      return handle;
    }

    List<KeyInfo> keys() {
      return keys;
    }

    KeyId primary() {
      return new KeyId(handle.getPrimary().getId());
    }

    Optional<KeyInfo> find(KeyId keyId) {
      return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
    }

    /** A value derived from this state, computed once per state. */
    @SuppressWarnings("unchecked")
    <T> T cached(Object cacheKey, Function<Snapshot, T> compute) {
      return (T) primitives.computeIfAbsent(cacheKey, k -> compute.apply(this));
    }
  }
}
