package dev.safeguards.crypto;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Run in a child JVM with a heap smaller than the object by {@link StreamingBoundedHeapTest}: streams a generated
 * object of {@code args[1]} MiB through encryption to a file and back, and exits 0 when the SHA-256 of what came out
 * equals the SHA-256 of what went in.
 */
public final class StreamingBoundedHeapMain {

  private StreamingBoundedHeapMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long size = Long.parseLong(args[1]) * 1024 * 1024;
    Keyring keys = Keyring.openOrCreate(dir.resolve("keys"),
        KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key")), Clock.systemUTC());
    StreamingCipher cipher = keys.streamingCipher();
    FieldContext context = FieldContext.of("Binary", "large-1", "data");
    Path file = dir.resolve("object.sgs");

    MessageDigest in = MessageDigest.getInstance("SHA-256");
    try (InputStream source = new DigestInputStream(new GeneratedStream(size), in);
        OutputStream sink = new BufferedOutputStream(Files.newOutputStream(file))) {
      cipher.encrypt(source, sink, context);
    }
    MessageDigest out = MessageDigest.getInstance("SHA-256");
    try (InputStream sealed = new BufferedInputStream(Files.newInputStream(file));
        InputStream plain = new DigestInputStream(cipher.newDecryptingStream(sealed, context), out)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = plain.read(buffer)) != -1; ) {
        total += n;
      }
      if (total != size) {
        System.err.println("decrypted " + total + " bytes, expected " + size);
        System.exit(2);
      }
    }
    boolean same = Arrays.equals(in.digest(), out.digest());
    System.err.println("max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB, object "
        + size / (1024 * 1024) + " MiB, ciphertext " + Files.size(file) + " bytes, digests equal: " + same);
    System.exit(same ? 0 : 3);
  }

  /** Pseudo-random bytes produced on the fly: the object never exists in memory as a whole. */
  private static final class GeneratedStream extends InputStream {
    private final SplittableRandom random = new SplittableRandom(7);
    private long remaining;

    GeneratedStream(long size) {
      this.remaining = size;
    }

    @Override
    public int read() {
      if (remaining == 0) {
        return -1;
      }
      remaining--;
      return random.nextInt(256);
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) random.nextInt(256);
      }
      remaining -= n;
      return n;
    }
  }
}
