package dev.safeguards.benchmarks;

import dev.safeguards.crypto.FieldCipher;
import dev.safeguards.crypto.FieldContext;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-field encryption (AES-256-GCM through Tink, associated data bound to the record) against raw JCE AES-256-GCM
 * with a random 12-byte nonce: in the binary form ({@link FieldCipher#encryptToBytes}) and in the {@code sg1:} text
 * form ({@link FieldCipher#encrypt(byte[], FieldContext)}), which adds base64url.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class FieldEncryptionBenchmark {

  @Param({"1024", "65536"})
  int size;

  private Keys keys;
  private FieldCipher cipher;
  private final FieldContext context = FieldContext.of("Patient", "0193b2c4-7f00-7000-8000-00000000a11c", "note");
  private byte[] plaintext;
  private SecretKey rawKey;
  private Cipher raw;
  private final SecureRandom random = new SecureRandom();
  private final byte[] nonce = new byte[12];
  private final byte[] aad = "Patient|0193b2c4-7f00-7000-8000-00000000a11c|note".getBytes();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keys = new Keys();
    cipher = keys.keyring().fieldCipher();
    plaintext = new byte[size];
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
  public String safeguards() {
    return cipher.encrypt(plaintext, context);
  }

  @Benchmark
  public byte[] safeguardsBinary() {
    return cipher.encryptToBytes(plaintext, context);
  }

  @Benchmark
  public byte[] rawJce() throws Exception {
    random.nextBytes(nonce);
    raw.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
    raw.updateAAD(aad);
    return raw.doFinal(plaintext);
  }
}
