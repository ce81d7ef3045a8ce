package dev.safeguards.benchmarks;

import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditSealing;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.crypto.KeyPurpose;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Appending one event to the tamper-evident log without waiting for fsync ({@code acknowledgeBeforeSync}: encode, leaf
 * hash, tree, write), its identities in the clear or sealed ({@link AuditSealing}: AES-256-GCM and four HMAC tokens
 * more per event), against {@code FileChannel.write} plus SHA-256 of the same bytes (a record line as the log writes
 * it, read back from a first append).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuditAppendBenchmark {

  /** {@code clear}, or {@code sealed}. */
  @Param({"clear", "sealed"})
  public String identities;

  private Keys keys;
  private TamperEvidentAuditLog log;
  private final AuditFixture fixture = new AuditFixture();
  private AuditEvent event;
  private FileChannel raw;
  private ByteBuffer line;
  private MessageDigest sha256;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keys = new Keys();
    Path dir = keys.dir.resolve("audit");
    TamperEvidentAuditLog.Builder builder = TamperEvidentAuditLog.builder(dir, AuditFixture.checkpointKeys(keys))
        .acknowledgeBeforeSync().checkpointEvery(100_000);
    if (identities.equals("sealed")) {
      builder.sealIdentities(AuditSealing.create(keys.keyset("audit-identity.json", KeyPurpose.FIELD_ENCRYPTION),
          keys.keyset("audit-index.json", KeyPurpose.BLIND_INDEX)));
    }
    log = builder.open();
    event = fixture.read(1);
    log.record(event);
    List<String> lines;
    try (var files = Files.list(dir)) {
      Path segment = files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).findFirst().orElseThrow();
      lines = Files.readAllLines(segment);
    }
    line = ByteBuffer.wrap((lines.get(lines.size() - 1) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    raw = FileChannel.open(keys.dir.resolve("raw.jsonl"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    sha256 = MessageDigest.getInstance("SHA-256");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    log.close();
    raw.close();
    keys.close();
  }

  @Benchmark
  public void safeguards() throws Exception {
    log.record(event);
  }

  /** The same event content each time: the log's own cost, not the event builder's, is measured. */
  @Benchmark
  public byte[] rawWriteAndHash() throws Exception {
    line.rewind();
    sha256.update(line.duplicate());
    raw.write(line);
    return sha256.digest();
  }
}
