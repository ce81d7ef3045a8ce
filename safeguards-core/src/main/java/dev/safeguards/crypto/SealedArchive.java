package dev.safeguards.crypto;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.internal.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An encrypted, authenticated backup file holding named entries (a table export, audit log segments, any files), for
 * the off-site copy that the emergency access procedure of 164.312(a)(2)(ii) relies on.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Confidentiality and integrity: the content is encrypted with a {@link StreamingCipher} (AES-256-GCM-HKDF) bound
 *       to the archive's random id; a manifest inside it records every entry's size and SHA-256 and a digest of the
 *       whole content.
 *   <li>Bounded memory for entries of any size, when writing and when restoring.
 *   <li>Never partial output. A writer works on a temporary file that only {@link Writer#finish()} renames to the
 *       archive's name; {@link #restore} extracts into a temporary directory and renames it to the target only after
 *       the whole archive, manifest included, has been verified. A wrong key, a modified or truncated file, a manifest
 *       that does not match, or an entry name that would leave the target directory gives an {@link ArchiveException}
 *       and leaves nothing behind.
 * </ul>
 *
 * <p>Entry names are relative paths of segments separated by {@code /}; a segment is made of the characters
 * {@code A-Z a-z 0-9 . _ -}, is not {@code .} or {@code ..}, and a name has at most {@value #MAX_NAME_LENGTH}
 * characters. No entry may be a directory of another.
 *
 * <p><b>Restoring needs the keys.</b> An archive opens only with the streaming-encryption keyset that sealed it and the
 * key-encryption key of that keyset. Escrow both off-site, apart from the archives and from each other (docs/encryption.md
 * describes the restore procedure).
 */
public final class SealedArchive {

  /** The longest entry name. */
  public static final int MAX_NAME_LENGTH = 255;

  static final String FORMAT = "safeguards-archive/v1";
  static final byte[] MAGIC = "SGARC1\n".getBytes(StandardCharsets.US_ASCII);
  static final int HEADER_LENGTH = MAGIC.length + 36 + 1;
  static final int MAX_CHUNK = 64 * 1024;
  static final int MAX_MANIFEST = 16 * 1024 * 1024;

  static final int ENTRY = 'E';
  static final int DATA = 'D';
  static final int END_OF_ENTRY = 'F';
  static final int MANIFEST = 'M';

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Logger LOG = LoggerFactory.getLogger(SealedArchive.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private SealedArchive() {}

  /**
   * Starts writing a new archive at {@code archiveFile}.
   *
   * @param archiveFile where the archive appears once {@link Writer#finish()} succeeds; must not exist; its directory
   *     is created if missing; not null
   * @param cipher the streaming cipher whose primary key seals the archive; not null
   * @param clock gives the archive's creation time, to the millisecond; not null
   * @return a writer over a temporary file in the archive's directory; close it to abandon the archive
   * @throws NullPointerException if an argument is null
   * @throws ArchiveException if the file exists (an archive is never overwritten) or its directory is not writable
   */
  public static Writer create(Path archiveFile, StreamingCipher cipher, Clock clock) throws ArchiveException {
    Objects.requireNonNull(archiveFile, "archiveFile");
    Objects.requireNonNull(cipher, "cipher");
    Objects.requireNonNull(clock, "clock");
    if (Files.exists(archiveFile)) {
      throw new ArchiveException("archive " + archiveFile + " already exists and is never overwritten");
    }
    return new Writer(archiveFile, cipher, clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * Decrypts and checks a whole archive without writing anything.
   *
   * @param archiveFile the archive; not null
   * @param cipher a streaming cipher over the keyset that sealed the archive; not null
   * @return its manifest
   * @throws NullPointerException if an argument is null
   * @throws ArchiveException if the archive is missing, under another key, modified, truncated, or inconsistent
   */
  public static ArchiveManifest verify(Path archiveFile, StreamingCipher cipher) throws ArchiveException {
    return read(archiveFile, cipher, null);
  }

  /**
   * Restores every entry of an archive into {@code targetDirectory}, which must not exist. The entries are extracted
   * into a temporary sibling directory, the whole archive is verified, every file is forced to disk, and only then is
   * the temporary directory renamed to {@code targetDirectory}.
   *
   * @param archiveFile the archive; not null
   * @param cipher a streaming cipher over the keyset that sealed the archive; not null
   * @param targetDirectory where the entries appear; must not exist; its parent is created (owner only) if missing;
   *     not null
   * @return the archive's manifest
   * @throws NullPointerException if an argument is null
   * @throws ArchiveException if the target exists, or the archive is missing, under another key, modified, truncated,
   *     inconsistent, or names an entry outside the target; nothing is left behind
   */
  public static ArchiveManifest restore(Path archiveFile, StreamingCipher cipher, Path targetDirectory)
      throws ArchiveException {
    Objects.requireNonNull(targetDirectory, "targetDirectory");
    Path target = targetDirectory.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      throw new ArchiveException("restore target " + target + " already exists");
    }
    Path parent = target.getParent();
    Path staging;
    try {
      AtomicFiles.createOwnerOnlyDirectories(parent);
      staging = parent.getFileSystem().supportedFileAttributeViews().contains("posix")
          ? Files.createTempDirectory(parent, "." + target.getFileName() + ".restore-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
          : Files.createTempDirectory(parent, "." + target.getFileName() + ".restore-");
    } catch (IOException e) {
      throw new ArchiveException("cannot create a restore directory next to " + target + ": " + e.getClass().getSimpleName(), e);
    }
    boolean done = false;
    try {
      ArchiveManifest manifest = read(archiveFile, cipher, staging);
      fsyncTree(staging);
      if (Files.exists(target)) {
        throw new ArchiveException("restore target " + target + " appeared during the restore");
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.fsyncDirectory(parent);
      done = true;
      LOG.info("restored sealed archive {} into {}: {} entries, {} bytes", archiveFile, target,
          manifest.entryCount(), manifest.totalBytes());
      return manifest;
    } catch (IOException e) {
      throw new ArchiveException("cannot restore archive " + archiveFile + " into " + target + ": "
          + e.getClass().getSimpleName(), e);
    } finally {
      if (!done) {
        deleteTree(staging);
      }
    }
  }

  /** Checks an entry name; see the class comment. */
  static void checkEntryName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("an entry name has 1 to " + MAX_NAME_LENGTH + " characters");
    }
    for (String segment : name.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "an entry name is a relative path of segments made of A-Z a-z 0-9 . _ - (no empty, . or .. segment)");
      }
    }
  }

  /**
   * Writes one archive. Not thread-safe; use it from one thread.
   *
   * <p>Any failure once an entry or the manifest has begun to be written, checked or not, fails the writer: its
   * temporary file is deleted and every later {@code add} or {@link #finish()} throws {@link IllegalStateException},
   * so a damaged archive is never given its final name. A refused entry name is not such a failure.
   */
  public static final class Writer implements AutoCloseable {

    private final Path archiveFile;
    private final Path temp;
    private final UUID archiveId = UUID.randomUUID();
    private final Instant createdAt;
    private final MessageDigest contentDigest = sha256();
    private final DataOutputStream frames;
    private final EntryNames names = new EntryNames();
    private final List<ArchiveManifest.Entry> entries = new ArrayList<>();
    private final byte[] buffer = new byte[MAX_CHUNK];
    private boolean open = true;

    private Writer(Path archiveFile, StreamingCipher cipher, Instant createdAt) throws ArchiveException {
      this.archiveFile = archiveFile;
      this.createdAt = createdAt;
      Path dir = archiveFile.toAbsolutePath().getParent();
      Path tmp = null;
      OutputStream file = null;
      try {
        Files.createDirectories(dir);
        tmp = AtomicFiles.createOwnerOnlyTempFile(dir, archiveFile.getFileName().toString());
        file = new BufferedOutputStream(Files.newOutputStream(tmp), MAX_CHUNK);
        file.write(MAGIC);
        file.write((archiveId + "\n").getBytes(StandardCharsets.US_ASCII));
        OutputStream sealed = cipher.newEncryptingStream(file, context(archiveId));
        this.frames = new DataOutputStream(new DigestOutputStream(sealed, contentDigest));
        this.temp = tmp;
      } catch (IOException | RuntimeException e) {
        closeQuietly(file);
        deleteQuietly(tmp);
        throw new ArchiveException("cannot start archive " + archiveFile + ": " + e.getClass().getSimpleName(), e);
      }
    }

    /**
     * Adds an entry holding {@code content}.
     *
     * @param name the entry's name: allowed (see the class comment) and not used before in this archive
     * @param content the entry's bytes; not modified, not null
     * @return this writer
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is not allowed or is already used (the writer stays usable)
     * @throws IllegalStateException if the writer is closed or finished
     * @throws ArchiveException if writing the archive fails (the writer is then closed and its temporary file deleted)
     * @throws RuntimeException an unchecked failure while the entry is written, unchanged; the writer is then closed
     *     and its temporary file deleted
     */
    public Writer add(String name, byte[] content) throws ArchiveException {
      Objects.requireNonNull(content, "content");
      return add(name, new java.io.ByteArrayInputStream(content));
    }

    /**
     * Adds an entry holding the content of {@code file}.
     *
     * @param name the entry's name: allowed (see the class comment) and not used before in this archive
     * @param file the file whose content is read, in bounded memory; not null
     * @return this writer
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is not allowed or is already used (the writer stays usable)
     * @throws IllegalStateException if the writer is closed or finished
     * @throws ArchiveException if the file cannot be opened or read, or writing the archive fails (the writer is then
     *     closed and its temporary file deleted)
     * @throws RuntimeException an unchecked failure while the entry is written, unchanged; the writer is then closed
     *     and its temporary file deleted
     */
    public Writer addFile(String name, Path file) throws ArchiveException {
      Objects.requireNonNull(file, "file");
      try (InputStream in = Files.newInputStream(file)) {
        return add(name, in);
      } catch (IOException e) {
        fail();
        throw new ArchiveException("cannot read the file for entry " + name + " of archive " + archiveFile + ": "
            + e.getClass().getSimpleName(), e);
      }
    }

    /**
     * Adds an entry holding everything {@code content} yields, in bounded memory. The stream is read to its end but
     * not closed.
     *
     * @param name the entry's name: allowed (see the class comment) and not used before in this archive
     * @param content the entry's content, read to its end; not null
     * @return this writer
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the writer is closed or finished
     * @throws IllegalArgumentException if the name is not allowed or is already used (the writer stays usable)
     * @throws ArchiveException if reading the content or writing the archive fails (the writer is then closed and its
     *     temporary file deleted)
     * @throws RuntimeException whatever unchecked exception {@code content} throws, unchanged; like any other failure
     *     once the entry has begun, it closes the writer and deletes its temporary file, so a half-written entry is
     *     never sealed and every later {@code add} or {@link #finish()} throws {@link IllegalStateException}
     */
    public Writer add(String name, InputStream content) throws ArchiveException {
      Objects.requireNonNull(content, "content");
      requireOpen();
      checkEntryName(name);
      names.claim(name);
      boolean added = false;
      try {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        frames.writeByte(ENTRY);
        frames.writeShort(utf8.length);
        frames.write(utf8);
        MessageDigest entryDigest = sha256();
        long size = 0;
        for (int n; (n = content.readNBytes(buffer, 0, buffer.length)) > 0; ) {
          frames.writeByte(DATA);
          frames.writeInt(n);
          frames.write(buffer, 0, n);
          entryDigest.update(buffer, 0, n);
          size += n;
        }
        byte[] hash = entryDigest.digest();
        frames.writeByte(END_OF_ENTRY);
        frames.writeLong(size);
        frames.write(hash);
        entries.add(new ArchiveManifest.Entry(name, size, HexFormat.of().formatHex(hash)));
        added = true;
        return this;
      } catch (IOException e) {
        throw new ArchiveException("cannot add entry " + name + " to archive " + archiveFile + ": "
            + e.getClass().getSimpleName(), e);
      } finally {
        if (!added) {
          fail(); // whatever was thrown, a half-written entry must never be sealed
        }
      }
    }

    /**
     * Writes the manifest, seals the archive, forces it to disk and gives it its final name.
     *
     * @return the manifest written
     * @throws IllegalStateException if the writer is closed, finished, or failed by an earlier call
     * @throws ArchiveException if writing fails or the archive's name was taken meanwhile (nothing is left behind;
     *     except when only the final sync of the directory fails: the archive is then complete under its name, but its
     *     name may not survive a crash of the machine)
     * @throws RuntimeException an unchecked failure while sealing, unchanged; as with an {@link ArchiveException}, the
     *     writer is then closed and its temporary file deleted
     */
    public ArchiveManifest finish() throws ArchiveException {
      requireOpen();
      boolean finished = false;
      try {
        frames.writeByte(MANIFEST);
        long totalBytes = entries.stream().mapToLong(ArchiveManifest.Entry::size).sum();
        ArchiveManifest manifest = new ArchiveManifest(archiveId, createdAt, entries, totalBytes,
            HexFormat.of().formatHex(contentDigest.digest())); // every byte before the manifest's length
        byte[] json = manifestJson(manifest);
        frames.writeInt(json.length);
        frames.write(json);
        frames.close();
        AtomicFiles.fsync(temp);
        AtomicFiles.move(temp, archiveFile, false);
        AtomicFiles.fsyncDirectory(archiveFile.toAbsolutePath().getParent());
        open = false;
        finished = true;
        LOG.info("sealed archive {} written: {} entries, {} bytes", archiveFile, manifest.entryCount(), totalBytes);
        return manifest;
      } catch (FileAlreadyExistsException e) {
        throw new ArchiveException("archive " + archiveFile + " already exists and is never overwritten");
      } catch (IOException e) {
        throw new ArchiveException("cannot finish archive " + archiveFile + ": " + e.getClass().getSimpleName(), e);
      } finally {
        if (!finished) {
          fail();
        }
      }
    }

    /** Abandons an unfinished archive: its temporary file is deleted. After {@link #finish()}, does nothing. */
    @Override
    public void close() {
      if (open) {
        fail();
      }
    }

    private void requireOpen() {
      if (!open) {
        throw new IllegalStateException("the archive writer is closed");
      }
    }

    private void fail() {
      open = false;
      try {
        frames.close();
      } catch (IOException | RuntimeException ignored) {
        // the temporary file is deleted either way
      }
      deleteQuietly(temp);
    }
  }

  // --------------------------------------------------------------------------------------------------------------

  /** Reads an archive; with {@code staging} non-null, writes each entry below it. */
  private static ArchiveManifest read(Path archiveFile, StreamingCipher cipher, Path staging) throws ArchiveException {
    Objects.requireNonNull(archiveFile, "archiveFile");
    Objects.requireNonNull(cipher, "cipher");
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archiveFile), MAX_CHUNK)) {
      UUID archiveId = readHeader(file, archiveFile);
      MessageDigest contentDigest = sha256();
      DataInputStream frames;
      try {
        frames = new DataInputStream(new java.security.DigestInputStream(
            cipher.newDecryptingStream(file, context(archiveId)), contentDigest));
      } catch (UnknownKeyException e) {
        throw new ArchiveException("archive " + archiveFile + " cannot be opened: " + e.getMessage()
            + " (wrong keyring?)");
      } catch (DecryptionException e) {
        throw new ArchiveException("archive " + archiveFile + " cannot be opened: " + e.getMessage());
      }
      return readFrames(frames, contentDigest, archiveId, archiveFile, staging);
    } catch (NoSuchFileException e) {
      throw new ArchiveException("archive " + archiveFile + " not found");
    } catch (IOException e) {
      if (e.getCause() instanceof CiphertextIntegrityException) {
        throw new ArchiveException("archive " + archiveFile
            + " failed authentication: it is under another key, or was modified or truncated");
      }
      throw new ArchiveException("cannot read archive " + archiveFile + ": " + e.getClass().getSimpleName(), e);
    }
  }

  private static UUID readHeader(InputStream file, Path archiveFile) throws IOException, ArchiveException {
    byte[] header = file.readNBytes(HEADER_LENGTH);
    if (header.length < HEADER_LENGTH
        || !java.util.Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
        || header[HEADER_LENGTH - 1] != '\n') {
      throw new ArchiveException("file " + archiveFile + " is not a sealed archive of ours");
    }
    String id = new String(header, MAGIC.length, 36, StandardCharsets.US_ASCII);
    try {
      UUID uuid = UUID.fromString(id);
      if (!uuid.toString().equals(id)) {
        throw new IllegalArgumentException("not canonical");
      }
      return uuid;
    } catch (IllegalArgumentException e) {
      throw new ArchiveException("archive " + archiveFile + " has a malformed header");
    }
  }

  private static ArchiveManifest readFrames(DataInputStream frames, MessageDigest contentDigest, UUID archiveId,
      Path archiveFile, Path staging) throws IOException, ArchiveException {
    List<ArchiveManifest.Entry> entries = new ArrayList<>();
    EntryNames names = new EntryNames();
    byte[] buffer = new byte[MAX_CHUNK];
    try {
      while (true) {
        int type = frames.readUnsignedByte();
        if (type == MANIFEST) {
          byte[] before = contentDigest.digest(); // every byte before the manifest's length
          byte[] json = readManifestBytes(frames, archiveFile);
          if (frames.read() != -1) {
            throw inconsistent(archiveFile, "data follows the manifest");
          }
          ArchiveManifest manifest = parseManifest(json, archiveFile);
          check(manifest.archiveId().equals(archiveId), archiveFile, "the manifest names another archive");
          check(manifest.entries().equals(entries), archiveFile, "the manifest does not list the entries read");
          check(manifest.contentDigest().equals(HexFormat.of().formatHex(before)), archiveFile,
              "the content digest does not match");
          return manifest;
        }
        check(type == ENTRY, archiveFile, "unexpected frame");
        byte[] utf8 = new byte[frames.readUnsignedShort()];
        frames.readFully(utf8);
        String name = new String(utf8, StandardCharsets.UTF_8);
        try {
          checkEntryName(name);
          names.claim(name);
        } catch (IllegalArgumentException e) {
          throw inconsistent(archiveFile, "an entry name is not allowed or repeats (" + e.getMessage() + ")");
        }
        entries.add(readEntry(frames, name, buffer, archiveFile, staging));
      }
    } catch (EOFException e) {
      throw inconsistent(archiveFile, "it ends before its manifest");
    }
  }

  private static ArchiveManifest.Entry readEntry(DataInputStream frames, String name, byte[] buffer,
      Path archiveFile, Path staging) throws IOException, ArchiveException {
    MessageDigest digest = sha256();
    long size = 0;
    OutputStream out = null;
    try {
      if (staging != null) {
        Path file = staging.resolve(name).normalize();
        check(file.startsWith(staging) && !file.equals(staging), archiveFile, "an entry leaves the target directory");
        Files.createDirectories(file.getParent());
        out = new BufferedOutputStream(Files.newOutputStream(file), MAX_CHUNK);
      }
      while (true) {
        int type = frames.readUnsignedByte();
        if (type == END_OF_ENTRY) {
          long declared = frames.readLong();
          byte[] hash = new byte[32];
          frames.readFully(hash);
          check(declared == size && MessageDigest.isEqual(hash, digest.digest()), archiveFile,
              "an entry's size or hash does not match its content");
          return new ArchiveManifest.Entry(name, size, HexFormat.of().formatHex(hash));
        }
        check(type == DATA, archiveFile, "unexpected frame inside an entry");
        int n = frames.readInt();
        check(n > 0 && n <= MAX_CHUNK, archiveFile, "a data frame has an invalid length");
        frames.readFully(buffer, 0, n);
        digest.update(buffer, 0, n);
        size += n;
        if (out != null) {
          out.write(buffer, 0, n);
        }
      }
    } finally {
      if (out != null) {
        out.close();
      }
    }
  }

  private static byte[] readManifestBytes(DataInputStream frames, Path archiveFile) throws IOException, ArchiveException {
    int length = frames.readInt();
    check(length > 0 && length <= MAX_MANIFEST, archiveFile, "the manifest has an invalid length");
    byte[] json = new byte[length];
    frames.readFully(json);
    return json;
  }

  static byte[] manifestJson(ArchiveManifest manifest) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("archiveId", manifest.archiveId().toString());
    root.put("createdAt", DateTimeFormatter.ISO_INSTANT.format(manifest.createdAt()));
    root.put("entryCount", manifest.entryCount());
    root.put("totalBytes", manifest.totalBytes());
    root.put("contentDigest", manifest.contentDigest());
    ArrayNode array = root.putArray("entries");
    for (ArchiveManifest.Entry e : manifest.entries()) {
      array.addObject().put("name", e.name()).put("size", e.size()).put("sha256", e.sha256());
    }
    return JSON.writeValueAsBytes(root);
  }

  /**
   * Reads a manifest as docs/encryption.md specifies it.
   *
   * @throws ArchiveException if {@code json} is not exactly that JSON object
   */
  static ArchiveManifest parseManifest(byte[] json, Path archiveFile) throws ArchiveException {
    try {
      JsonNode root = JSON.readTree(json);
      check(root != null && root.isObject() && exactFields(root, Set.of("format", "archiveId", "createdAt",
          "entryCount", "totalBytes", "contentDigest", "entries")), archiveFile, "the manifest is malformed");
      check(FORMAT.equals(root.get("format").textValue()), archiveFile, "unsupported archive format");
      JsonNode array = root.get("entries");
      check(array.isArray(), archiveFile, "the manifest is malformed");
      List<ArchiveManifest.Entry> entries = new ArrayList<>();
      for (JsonNode e : array) {
        check(e.isObject() && exactFields(e, Set.of("name", "size", "sha256")) && isLong(e.get("size")),
            archiveFile, "the manifest is malformed");
        entries.add(new ArchiveManifest.Entry(e.get("name").textValue(), e.get("size").longValue(),
            e.get("sha256").textValue()));
      }
      // Every value in the one form the writer gives it: the manifest is read back exactly as it was written.
      String id = root.get("archiveId").textValue();
      String created = root.get("createdAt").textValue();
      JsonNode count = root.get("entryCount");
      check(isLong(root.get("totalBytes")) && isLong(count) && id != null && created != null, archiveFile,
          "the manifest is malformed");
      UUID archiveId = UUID.fromString(id);
      Instant createdAt = Instant.parse(created);
      check(archiveId.toString().equals(id) && DateTimeFormatter.ISO_INSTANT.format(createdAt).equals(created),
          archiveFile, "the manifest is malformed");
      ArchiveManifest manifest = new ArchiveManifest(archiveId, createdAt, entries, root.get("totalBytes").longValue(),
          root.get("contentDigest").textValue());
      check(count.longValue() == manifest.entryCount(), archiveFile, "the entry count does not match");
      return manifest;
    } catch (IOException | IllegalArgumentException | NullPointerException | DateTimeParseException e) {
      throw inconsistent(archiveFile, "the manifest is malformed");
    }
  }

  /** A JSON integer that fits a {@code long}: not a fraction, a string or a boolean. */
  private static boolean isLong(JsonNode n) {
    return n.isIntegralNumber() && n.canConvertToLong();
  }

  private static boolean exactFields(JsonNode node, Set<String> fields) {
    int count = 0;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); count++) {
      if (!fields.contains(it.next())) {
        return false;
      }
    }
    return count == fields.size();
  }

  private static FieldContext context(UUID archiveId) {
    return FieldContext.of("sealed-archive", archiveId.toString(), "content");
  }

  private static void check(boolean condition, Path archiveFile, String what) throws ArchiveException {
    if (!condition) {
      throw inconsistent(archiveFile, what);
    }
  }

  private static ArchiveException inconsistent(Path archiveFile, String what) {
    return new ArchiveException("archive " + archiveFile + " is damaged: " + what);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void fsyncTree(Path root) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        AtomicFiles.fsyncDirectory(p);
      } else {
        AtomicFiles.fsync(p);
      }
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("could not delete the abandoned restore directory {}: {}", root, e.getClass().getSimpleName());
    }
  }

  private static void closeQuietly(OutputStream out) {
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // the file is deleted next
      }
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not delete the abandoned archive file {}: {}", file, e.getClass().getSimpleName());
    }
  }

  /** Entry names seen so far: refuses repeats, and a name that is a directory of another or has one as directory. */
  private static final class EntryNames {
    private final Set<String> files = new HashSet<>();
    private final Set<String> directories = new HashSet<>();

    void claim(String name) {
      if (files.contains(name) || directories.contains(name)) {
        throw new IllegalArgumentException("entry name already used, as an entry or a directory");
      }
      List<String> parents = new ArrayList<>();
      for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
        String parent = name.substring(0, i);
        if (files.contains(parent)) {
          throw new IllegalArgumentException("an entry is used as a directory of another");
        }
        parents.add(parent);
      }
      files.add(name);
      directories.addAll(parents);
    }
  }
}
