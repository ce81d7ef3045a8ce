package dev.safeguards.benchmarks;

import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.crypto.SigningKeyset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Verifying a log of 100,000 events, or as many as {@code -p events=N} says ({@link AuditLogVerifier}: parse every
 * line, hash every record into the Merkle tree and compare it with its stored hash, check every checkpoint's root and
 * signature), against one raw SHA-256 over the same files' bytes. Both read from the page cache. (The name stays from
 * format 1's hash chain, so that results compare across runs.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class ChainVerificationBenchmark {

  /** How many events the log holds; the target is set for 1,000,000 ({@code -p events=1000000}). */
  @Param({"100000"})
  public int events;

  private Keys keys;
  private Path dir;
  private AuditLogVerifier verifier;
  private List<Path> segments;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keys = new Keys();
    dir = keys.dir.resolve("audit");
    SigningKeyset checkpoints = AuditFixture.checkpointKeys(keys);
    AuditFixture fixture = new AuditFixture();
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(dir, checkpoints).acknowledgeBeforeSync()
        .open()) {
      for (int i = 0; i < events; i++) {
        log.record(fixture.read(i));
      }
    }
    verifier = AuditLogVerifier.builder(SigningKeyset.fromPublicJwks(checkpoints.publicJwks())).build();
    try (Stream<Path> files = Files.list(dir)) {
      segments = files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    keys.close();
  }

  @Benchmark
  public VerifiedAuditLog safeguards() throws Exception {
    return verifier.verify(dir);
  }

  @Benchmark
  public byte[] rawSha256() throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (Path segment : segments) {
      sha256.update(Files.readAllBytes(segment));
    }
    return sha256.digest();
  }
}
