package dev.safeguards.benchmarks;

import dev.safeguards.crypto.FieldContext;
import dev.safeguards.crypto.StreamingCipher;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Streaming encryption of 1 MiB ({@link StreamingCipher}: Tink's AES-256-GCM-HKDF, 1 MiB segments) against raw JCE
 * AES-256-GCM fed in 16 KiB pieces. The warm-up is long (5 x 5 s) so that the AES-GCM intrinsics are compiled first.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class StreamingEncryptionBenchmark {

  static final int SIZE = 1 << 20;
  static final int PIECE = 16 * 1024;

  private Keys keys;
  private StreamingCipher cipher;
  private final FieldContext context = FieldContext.of("Attachment", "scan-1", "content");
  private final byte[] plaintext = new byte[SIZE];
  private final byte[] out = new byte[SIZE + 64];
  private SecretKey rawKey;
  private Cipher raw;
  private final SecureRandom random = new SecureRandom();
  private final byte[] nonce = new byte[12];

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keys = new Keys();
    cipher = keys.keyring().streamingCipher();
    random.nextBytes(plaintext);
    KeyGenerator g = KeyGenerator.getInstance("AES");
    g.init(256);
    rawKey = g.generateKey();
    raw = Cipher.getInstance("AES/GCM/NoPadding");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    keys.close();
  }

  @Benchmark
  public long safeguards(Blackhole bh) throws Exception {
    return cipher.encrypt(new ByteArrayInputStream(plaintext), new Sink(bh), context);
  }

  @Benchmark
  public int rawJce() throws Exception {
    random.nextBytes(nonce);
    raw.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
    int written = 0;
    for (int off = 0; off < SIZE; off += PIECE) {
      written += raw.update(plaintext, off, PIECE, out, written);
    }
    return written + raw.doFinal(out, written);
  }

  /** Consumes the ciphertext without keeping it. */
  private static final class Sink extends OutputStream {
    private final Blackhole bh;

    Sink(Blackhole bh) {
      this.bh = bh;
    }

    @Override
    public void write(int b) {
      bh.consume(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bh.consume(b);
    }
  }
}
