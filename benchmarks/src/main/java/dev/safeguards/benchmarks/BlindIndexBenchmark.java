package dev.safeguards.benchmarks;

import dev.safeguards.crypto.BlindIndex;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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

/** A blind-index token of a 32-byte value ({@link BlindIndex#token}) against a raw HMAC-SHA256 of the same bytes. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class BlindIndexBenchmark {

  private Keys keys;
  private BlindIndex index;
  private final String value = "patient-mrn-0000-1111-2222-33334";
  private final byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
  private Mac raw;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keys = new Keys();
    index = keys.keyring().blindIndex("Patient", "mrn").build();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    raw = Mac.getInstance("HmacSHA256");
    raw.init(new SecretKeySpec(key, "HmacSHA256"));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    keys.close();
  }

  @Benchmark
  public String safeguards() {
    return index.token(value);
  }

  @Benchmark
  public byte[] rawHmac() {
    return raw.doFinal(valueBytes);
  }
}
