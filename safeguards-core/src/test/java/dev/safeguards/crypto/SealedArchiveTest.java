package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedArchiveTest {

  private static final String PHI_ROW = "{\"name\":\"Ada Lovelace\",\"ssn\":\"123-45-6789\"}\n";

  @TempDir Path dir;
  private StreamingCipher cipher;
  private Path archive;
  private byte[] big;

  @BeforeEach
  void setUp() throws Exception {
    cipher = TestKeys.keyring(dir.resolve("k")).streamingCipher();
    archive = dir.resolve("backup.sga");
    big = new byte[3 * 1024 * 1024 + 17];
    new Random(42).nextBytes(big);
  }

  private ArchiveManifest writeSample() throws Exception {
    try (SealedArchive.Writer writer = SealedArchive.create(archive, cipher, TestKeys.CLOCK)) {
      writer.add("patients.jsonl", PHI_ROW.repeat(100).getBytes(StandardCharsets.UTF_8));
      writer.add("empty", new byte[0]);
      writer.add("audit/segment-000001.jsonl", big);
      return writer.finish();
    }
  }

  @Test
  void writeThenRestore_reproducesEveryEntry() throws Exception {
    ArchiveManifest written = writeSample();
    Path target = dir.resolve("restored");

    ArchiveManifest restored = SealedArchive.restore(archive, cipher, target);

    assertThat(restored).isEqualTo(written);
    assertThat(restored.entryCount()).isEqualTo(3);
    assertThat(restored.createdAt()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123Z"));
    assertThat(restored.totalBytes()).isEqualTo(PHI_ROW.length() * 100L + big.length);
    assertThat(restored.entries().get(2).sha256()).isEqualTo(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(big)));
    assertThat(Files.readString(target.resolve("patients.jsonl"))).isEqualTo(PHI_ROW.repeat(100));
    assertThat(Files.size(target.resolve("empty"))).isZero();
    assertThat(Files.readAllBytes(target.resolve("audit/segment-000001.jsonl"))).isEqualTo(big);
    assertThat(SealedArchive.verify(archive, cipher)).isEqualTo(written);
  }

  @Test
  void archiveFile_doesNotContainThePlaintext() throws Exception {
    writeSample();
    String file = new String(Files.readAllBytes(archive), StandardCharsets.ISO_8859_1);
    assertThat(file).startsWith("SGARC1\n").doesNotContain("Ada Lovelace", "123-45-6789", "patients.jsonl");
  }

  @Test
  void addFile_streamsAFile() throws Exception {
    Path source = dir.resolve("segment.jsonl");
    Files.write(source, big);
    try (SealedArchive.Writer writer = SealedArchive.create(archive, cipher, TestKeys.CLOCK)) {
      writer.addFile("segment.jsonl", source);
      writer.finish();
    }
    SealedArchive.restore(archive, cipher, dir.resolve("out"));
    assertThat(Files.readAllBytes(dir.resolve("out/segment.jsonl"))).isEqualTo(big);
  }

  @Test
  void restore_withAnotherKeyring_failsAndLeavesNothing(@TempDir Path other) throws Exception {
    writeSample();
    StreamingCipher stranger = TestKeys.keyring(other).streamingCipher();
    Path target = dir.resolve("restored");

    assertThatThrownBy(() -> SealedArchive.restore(archive, stranger, target))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("wrong keyring");
    assertNothingLeftBehind(target);
  }

  @Test
  void restore_afterRotation_stillOpensOldArchives() throws Exception {
    Keyring keys = Keyring.open(dir.resolve("k/keys"), KeyEncryptionKey.fromMasterKeyFile(dir.resolve("k/master.key")),
        TestKeys.CLOCK);
    writeSample();
    keys.keyset(KeyPurpose.STREAMING_ENCRYPTION).rotate();

    assertThat(SealedArchive.verify(archive, keys.streamingCipher()).entryCount()).isEqualTo(3);
  }

  @Test
  void restore_ofModifiedArchive_failsAndLeavesNothing() throws Exception {
    writeSample();
    byte[] original = Files.readAllBytes(archive);
    int[] offsets = {0, 10, SealedArchive.HEADER_LENGTH + 3, SealedArchive.HEADER_LENGTH + 60, original.length / 2,
        original.length - 40, original.length - 1};
    for (int offset : offsets) {
      byte[] tampered = original.clone();
      tampered[offset] ^= 0x01;
      Files.write(archive, tampered);
      Path target = dir.resolve("restored-" + offset);

      assertThatThrownBy(() -> SealedArchive.restore(archive, cipher, target))
          .as("byte %d flipped", offset)
          .isInstanceOf(ArchiveException.class)
          .hasMessageNotContaining("Ada");
      assertNothingLeftBehind(target);
    }
  }

  @Test
  void restore_ofTruncatedArchive_failsAndLeavesNothing() throws Exception {
    writeSample();
    byte[] original = Files.readAllBytes(archive);
    for (int length : new int[] {0, 5, SealedArchive.HEADER_LENGTH, SealedArchive.HEADER_LENGTH + 8, 100_000,
        1024 * 1024 + 100, original.length / 2, original.length - 1}) {
      Files.write(archive, java.util.Arrays.copyOf(original, length));
      Path target = dir.resolve("restored-" + length);

      assertThatThrownBy(() -> SealedArchive.restore(archive, cipher, target))
          .as("truncated to %d", length)
          .isInstanceOf(ArchiveException.class);
      assertNothingLeftBehind(target);
    }
  }

  @Test
  void restore_ofArchiveWithSegmentsDroppedReorderedDuplicatedOrSpliced_failsClearlyAndLeavesNothing()
      throws Exception {
    writeSample();
    byte[] original = Files.readAllBytes(archive);
    int segment = 1024 * 1024;
    // The header, then "SGS1" and the key id; Tink's 40-byte header counts in the first 1 MiB ciphertext segment.
    int base = SealedArchive.HEADER_LENGTH + 8;
    assertThat(original.length).isBetween(base + 3 * segment + 1, base + 4 * segment);
    byte[] s0 = java.util.Arrays.copyOfRange(original, 0, base + segment);
    byte[] s1 = java.util.Arrays.copyOfRange(original, base + segment, base + 2 * segment);
    byte[] s2 = java.util.Arrays.copyOfRange(original, base + 2 * segment, base + 3 * segment);
    byte[] s3 = java.util.Arrays.copyOfRange(original, base + 3 * segment, original.length);
    Path other = dir.resolve("other.sga");
    try (SealedArchive.Writer writer = SealedArchive.create(other, cipher, TestKeys.CLOCK)) {
      writer.add("audit/segment-000001.jsonl", big);
      writer.add("patients.jsonl", PHI_ROW.getBytes(StandardCharsets.UTF_8));
      writer.finish();
    }
    byte[] otherBytes = Files.readAllBytes(other);
    Map<String, byte[]> damaged = new LinkedHashMap<>();
    damaged.put("cut at a segment boundary", concat(s0, s1, s2));
    damaged.put("cut after the first segment", concat(s0));
    damaged.put("middle segments swapped", concat(s0, s2, s1, s3));
    damaged.put("a segment duplicated", concat(s0, s1, s1, s2, s3));
    damaged.put("a segment dropped", concat(s0, s2, s3));
    damaged.put("last segment repeated", concat(s0, s1, s2, s3, s3));
    damaged.put("another archive's header", concat(java.util.Arrays.copyOf(otherBytes, SealedArchive.HEADER_LENGTH),
        java.util.Arrays.copyOfRange(original, SealedArchive.HEADER_LENGTH, original.length)));
    damaged.put("a segment of another archive", concat(s0,
        java.util.Arrays.copyOfRange(otherBytes, base + segment, base + 2 * segment), s2, s3));
    for (Map.Entry<String, byte[]> e : damaged.entrySet()) {
      Files.write(archive, e.getValue());
      Path target = dir.resolve("restored");

      assertThatThrownBy(() -> SealedArchive.restore(archive, cipher, target))
          .as(e.getKey())
          .isInstanceOf(ArchiveException.class)
          .hasMessageContaining(archive.toString())
          .hasMessageNotContaining("Ada")
          .hasMessageNotContaining("123-45-6789");
      assertThatThrownBy(() -> SealedArchive.verify(archive, cipher)).as(e.getKey())
          .isInstanceOf(ArchiveException.class);
      assertNothingLeftBehind(target);
    }
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void restore_withBytesAppended_fails() throws Exception {
    writeSample();
    Files.write(archive, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

    assertThatThrownBy(() -> SealedArchive.verify(archive, cipher)).isInstanceOf(ArchiveException.class);
  }

  @Test
  void restore_intoExistingDirectory_isRefused() throws Exception {
    writeSample();
    Path target = Files.createDirectory(dir.resolve("exists"));

    assertThatThrownBy(() -> SealedArchive.restore(archive, cipher, target))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("already exists");
    try (Stream<Path> files = Files.list(target)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void create_overExistingArchive_isRefused() throws Exception {
    writeSample();
    byte[] before = Files.readAllBytes(archive);

    assertThatThrownBy(() -> SealedArchive.create(archive, cipher, TestKeys.CLOCK))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("never overwritten");
    assertThat(Files.readAllBytes(archive)).isEqualTo(before);
  }

  @Test
  void writerClosedWithoutFinish_leavesNoFile() throws Exception {
    try (SealedArchive.Writer writer = SealedArchive.create(archive, cipher, TestKeys.CLOCK)) {
      writer.add("patients.jsonl", PHI_ROW.getBytes(StandardCharsets.UTF_8));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("k");
    }
  }

  /** What a caller's content stream throws midway: not an {@link java.io.IOException}. */
  private static final class ContentFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ContentFailure() {
      super("the content source failed");
    }
  }

  /** Yields {@code before} bytes, then throws {@link ContentFailure}. */
  private static InputStream failingAfter(int before) {
    return new InputStream() {
      private int left = before;

      @Override
      public int read() {
        if (left == 0) {
          throw new ContentFailure();
        }
        left--;
        return 'x';
      }
    };
  }

  /** The real streaming cipher, whose plaintext stream throws an unchecked exception once {@link #failNow} is set. */
  private static final class FailingCipher implements StreamingCipher {
    private final StreamingCipher real;
    volatile boolean failNow;

    FailingCipher(StreamingCipher real) {
      this.real = real;
    }

    @Override
    public OutputStream newEncryptingStream(OutputStream ciphertext, FieldContext context) throws IOException {
      return new FilterOutputStream(real.newEncryptingStream(ciphertext, context)) {
        @Override
        public void write(int b) throws IOException {
          if (failNow) {
            throw new IllegalStateException("the cipher failed");
          }
          out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          if (failNow) {
            throw new IllegalStateException("the cipher failed");
          }
          out.write(b, off, len);
        }
      };
    }

    @Override
    public InputStream newDecryptingStream(InputStream ciphertext, FieldContext context)
        throws IOException, DecryptionException {
      return real.newDecryptingStream(ciphertext, context);
    }

    @Override
    public long encrypt(InputStream plaintext, OutputStream ciphertext, FieldContext context) throws IOException {
      return real.encrypt(plaintext, ciphertext, context);
    }

    @Override
    public long decrypt(InputStream ciphertext, OutputStream plaintext, FieldContext context)
        throws IOException, DecryptionException {
      return real.decrypt(ciphertext, plaintext, context);
    }
  }

  private void assertOnlyTheKeyringIsLeft() throws Exception {
    assertThat(archive).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("k");
    }
  }

  @Test
  void add_contentStreamThrowsUncheckedMidEntry_failsTheWriterAndLeavesNothing() throws Exception {
    try (SealedArchive.Writer writer = SealedArchive.create(archive, cipher, TestKeys.CLOCK)) {
      writer.add("patients.jsonl", PHI_ROW.getBytes(StandardCharsets.UTF_8));

      assertThatThrownBy(() -> writer.add("half.jsonl", failingAfter(3 * 64 * 1024 + 5)))
          .isInstanceOf(ContentFailure.class);

      assertThatThrownBy(() -> writer.add("later", new byte[] {1})).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class);
      assertOnlyTheKeyringIsLeft();
    }
    assertOnlyTheKeyringIsLeft();
  }

  @Test
  void addAndFinish_archiveStreamThrowsUnchecked_failTheWriterAndLeaveNothing() throws Exception {
    FailingCipher failing = new FailingCipher(cipher);
    try (SealedArchive.Writer writer = SealedArchive.create(archive, failing, TestKeys.CLOCK)) {
      writer.add("patients.jsonl", PHI_ROW.getBytes(StandardCharsets.UTF_8));
      failing.failNow = true;

      assertThatThrownBy(() -> writer.add("next", big)).isInstanceOf(IllegalStateException.class)
          .hasMessage("the cipher failed");

      failing.failNow = false;
      assertThatThrownBy(() -> writer.add("later", new byte[] {1})).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
      assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
      assertOnlyTheKeyringIsLeft();
    }

    try (SealedArchive.Writer writer = SealedArchive.create(archive, failing, TestKeys.CLOCK)) {
      writer.add("patients.jsonl", PHI_ROW.getBytes(StandardCharsets.UTF_8));
      failing.failNow = true;

      assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class).hasMessage("the cipher failed");

      failing.failNow = false;
      assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
      assertThatThrownBy(() -> writer.add("later", new byte[] {1})).isInstanceOf(IllegalStateException.class);
      assertOnlyTheKeyringIsLeft();
    }
  }

  @Test
  void add_hostileOrDuplicateNames_areRefused() throws Exception {
    try (SealedArchive.Writer writer = SealedArchive.create(archive, cipher, TestKeys.CLOCK)) {
      writer.add("a/b", new byte[] {1});
      for (String bad : new String[] {"../x", "/abs", "a//b", "a/./b", "a/../b", "", ".", "..", "a\\b", "a\u0000b",
          "x/", "ü", "x".repeat(256), "a/b", "a", "a/b/c"}) {
        assertThatThrownBy(() -> writer.add(bad, new byte[] {1}))
            .as("name %s", bad)
            .isInstanceOf(IllegalArgumentException.class);
      }
      writer.add("a/c", new byte[] {2});
      assertThat(writer.finish().entries()).extracting(ArchiveManifest.Entry::name).containsExactly("a/b", "a/c");
    }
  }

  @Test
  void restore_ofCraftedArchiveEscapingTheTarget_isRefused() throws Exception {
    // A validly encrypted archive (same key) whose entry name climbs out of the target: only name checks stop it.
    writeCrafted(List.of("../evil"));
    Path target = dir.resolve("restored");

    assertThatThrownBy(() -> SealedArchive.restore(archive, cipher, target))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("entry name");
    assertThat(dir.resolve("evil")).doesNotExist();
    assertNothingLeftBehind(target);
  }

  @Test
  void restore_ofCraftedArchiveWithRepeatedName_isRefused() throws Exception {
    writeCrafted(List.of("same", "same"));

    assertThatThrownBy(() -> SealedArchive.verify(archive, cipher))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("repeats");
  }

  @Test
  void verify_ofCraftedArchiveWithWrongManifest_fails() throws Exception {
    writeCrafted(List.of("a"));
    // writeCrafted lists the entries correctly but gives a wrong content digest.
    assertThatThrownBy(() -> SealedArchive.verify(archive, cipher))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("content digest");
  }

  @Test
  void parseManifest_valuesInAnyButTheWrittenForm_areRefused() throws Exception {
    // Found by SealedArchiveFuzzTest: a manifest was read back from fractions, strings, an object for the entry array,
    // an upper-case or short archive id and a time with an offset or a trailing zero.
    String id = "0193b2c4-7f00-7000-8000-0000000000a1";
    String hash = "ab".repeat(32);
    ArchiveManifest m = new ArchiveManifest(UUID.fromString(id), Instant.parse("2026-11-23T10:15:30.123Z"),
        List.of(new ArchiveManifest.Entry("a", 1, hash)), 1, hash);
    String good = new String(SealedArchive.manifestJson(m), StandardCharsets.UTF_8);
    assertThat(SealedArchive.parseManifest(good.getBytes(StandardCharsets.UTF_8), archive)).isEqualTo(m);

    for (String bad : List.of(
        good.replace("\"entryCount\":1", "\"entryCount\":1.9"),
        good.replace("\"entryCount\":1", "\"entryCount\":\"1\""),
        good.replace("\"totalBytes\":1", "\"totalBytes\":1.0"),
        good.replace("\"size\":1", "\"size\":1.5"),
        good.replace("\"size\":1", "\"size\":true"),
        good.replace("\"entries\":[", "\"entries\":{\"0\":").replaceFirst("]}$", "}}"),
        good.replace(id, id.toUpperCase(java.util.Locale.ROOT)),
        good.replace(id, "1-2-3-4-a1"),
        good.replace("10:15:30.123Z", "10:15:30.1230Z"),
        good.replace("10:15:30.123Z", "11:15:30.123+01:00"),
        good.replace("\"format\":\"safeguards-archive/v1\"", "\"format\":[\"safeguards-archive/v1\"]"))) {
      assertThat(bad).isNotEqualTo(good);
      assertThatThrownBy(() -> SealedArchive.parseManifest(bad.getBytes(StandardCharsets.UTF_8), archive))
          .as(bad).isInstanceOf(ArchiveException.class).hasMessageContaining("is damaged");
    }
  }

  @Test
  void archiveManifest_entrySizesBeyondALong_areRefused() {
    // Found by SealedArchiveFuzzTest: two entries of Long.MAX_VALUE bytes summed to -2, which a totalBytes of -2 matched.
    String hash = "ab".repeat(32);
    List<ArchiveManifest.Entry> huge = List.of(new ArchiveManifest.Entry("a", Long.MAX_VALUE, hash),
        new ArchiveManifest.Entry("b", Long.MAX_VALUE, hash));

    assertThatThrownBy(() -> new ArchiveManifest(UUID.randomUUID(), Instant.EPOCH, huge, -2, hash))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("long");
  }

  @Test
  void verify_ofMissingOrForeignFile_failsClearly() throws Exception {
    assertThatThrownBy(() -> SealedArchive.verify(dir.resolve("absent"), cipher))
        .isInstanceOf(ArchiveException.class).hasMessageContaining("not found");
    Files.writeString(archive, "PK\u0003\u0004 not an archive");
    assertThatThrownBy(() -> SealedArchive.verify(archive, cipher))
        .isInstanceOf(ArchiveException.class).hasMessageContaining("not a sealed archive");
  }

  /**
   * Writes, with the real cipher, an archive in the documented format whose entries are named as given and whose
   * manifest carries a wrong content digest.
   */
  private void writeCrafted(List<String> names) throws Exception {
    UUID id = UUID.randomUUID();
    try (OutputStream file = Files.newOutputStream(archive)) {
      file.write(SealedArchive.MAGIC);
      file.write((id + "\n").getBytes(StandardCharsets.US_ASCII));
      try (DataOutputStream frames = new DataOutputStream(
          cipher.newEncryptingStream(file, FieldContext.of("sealed-archive", id.toString(), "content")))) {
        List<ArchiveManifest.Entry> entries = new java.util.ArrayList<>();
        byte[] content = {42};
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        for (String name : names) {
          byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
          frames.writeByte('E');
          frames.writeShort(utf8.length);
          frames.write(utf8);
          frames.writeByte('D');
          frames.writeInt(1);
          frames.write(content);
          frames.writeByte('F');
          frames.writeLong(1);
          frames.write(HexFormat.of().parseHex(hash));
          if (entries.stream().noneMatch(e -> e.name().equals(name)) && !name.startsWith("..")) {
            entries.add(new ArchiveManifest.Entry(name, 1, hash));
          }
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        json.write(SealedArchive.manifestJson(new ArchiveManifest(id, Instant.EPOCH, entries, entries.size(),
            "0".repeat(64))));
        frames.writeByte('M');
        frames.writeInt(json.size());
        frames.write(json.toByteArray());
      }
    }
  }

  private void assertNothingLeftBehind(Path target) throws Exception {
    assertThat(target).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".restore-"));
    }
  }
}
