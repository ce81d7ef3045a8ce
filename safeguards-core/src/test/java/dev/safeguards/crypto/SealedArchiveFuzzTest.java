package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.testing.FuzzInputs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes reading sealed archives: the manifest, and the frames inside the encryption. Whatever the bytes, reading
 * returns the manifest or throws {@link ArchiveException}, and a failed restore leaves nothing behind.
 */
class SealedArchiveFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final UUID ARCHIVE_ID = UUID.fromString("0193b2c4-7f00-7000-8000-0000000000a1");
  private static final Path ARCHIVE = Path.of("backup.sga");

  @TempDir static Path tmp;
  private static StreamingCipher cipher;

  @BeforeAll
  static void keys() throws Exception {
    cipher = TestKeys.keyring(tmp.resolve("keys")).streamingCipher();
  }

  /**
   * The input is a manifest's JSON. An accepted manifest has exactly the documented members and types: written back
   * with {@link SealedArchive#manifestJson}, it is the same JSON and reads as the same manifest.
   */
  @FuzzTest(maxDuration = "2m")
  void parseManifest_anyJson_acceptsOnlyTheDocumentedFormOrThrowsArchiveException(byte[] data) throws Exception {
    ArchiveManifest manifest;
    try {
      manifest = SealedArchive.parseManifest(data, ARCHIVE);
    } catch (ArchiveException e) {
      FuzzInputs.assertBoundedMessage(e);
      return;
    }
    assertThat(manifest.totalBytes())
        .isEqualTo(manifest.entries().stream().mapToLong(ArchiveManifest.Entry::size).reduce(0, Math::addExact));
    byte[] written = SealedArchive.manifestJson(manifest);
    assertThat(SealedArchive.parseManifest(written, ARCHIVE)).isEqualTo(manifest);
    JsonNode read = JSON.readTree(data);
    assertThat(read).as("the manifest read is the one written back").isEqualTo(JSON.readTree(written));
  }

  /**
   * The input is the plaintext inside an archive (its frames), sealed by the harness under the archive key with the
   * archive's id; or, if it starts with the archive magic {@code SGARC1}, the archive file itself. Verifying returns
   * the manifest or throws {@link ArchiveException}; restoring does the same and, when it fails, leaves no file.
   */
  @FuzzTest(maxDuration = "3m")
  void verifyAndRestore_anyFrames_returnTheManifestOrThrowArchiveExceptionAndLeaveNothing(byte[] data)
      throws Exception {
    Path dir = fresh(tmp.resolve("archives"));
    Path archive = dir.resolve("backup.sga");
    if (startsWith(data, SealedArchive.MAGIC)) {
      Files.write(archive, data);
    } else {
      try (OutputStream file = Files.newOutputStream(archive)) {
        file.write(SealedArchive.MAGIC);
        file.write((ARCHIVE_ID + "\n").getBytes(StandardCharsets.US_ASCII));
        try (OutputStream sealed = cipher.newEncryptingStream(file,
            FieldContext.of("sealed-archive", ARCHIVE_ID.toString(), "content"))) {
          sealed.write(data);
        }
      }
    }
    ArchiveManifest verified;
    try {
      verified = SealedArchive.verify(archive, cipher);
    } catch (ArchiveException e) {
      FuzzInputs.assertBoundedMessage(e);
      verified = null;
    }
    Path target = dir.resolve("restored");
    ArchiveManifest restored;
    try {
      restored = SealedArchive.restore(archive, cipher, target);
    } catch (ArchiveException e) {
      FuzzInputs.assertBoundedMessage(e);
      assertThat(verified).as("restore refused an archive that verifies").isNull();
      try (Stream<Path> left = Files.list(dir)) {
        assertThat(left.map(p -> p.getFileName().toString())).as("left behind").containsExactly("backup.sga");
      }
      return;
    }
    assertThat(restored).isEqualTo(verified);
    for (ArchiveManifest.Entry e : restored.entries()) {
      Path file = target.resolve(e.name()).normalize();
      assertThat(file).startsWith(target);
      assertThat(Files.size(file)).isEqualTo(e.size());
    }
  }

  private static Path fresh(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(dir);
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    if (data.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
