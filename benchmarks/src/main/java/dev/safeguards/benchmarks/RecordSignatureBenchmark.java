package dev.safeguards.benchmarks;

import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.UserId;
import dev.safeguards.integrity.RecordRef;
import dev.safeguards.integrity.RecordSignature;
import dev.safeguards.integrity.RecordSigner;
import dev.safeguards.integrity.RecordVerifier;
import dev.safeguards.integrity.VerifiedRecord;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
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

/**
 * Signing and verifying a 256-byte record by its author with Ed25519 ({@link RecordSigner}, {@link RecordVerifier})
 * against the raw JDK Ed25519 primitive over the same bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class RecordSignatureBenchmark {

  private Keys keys;
  private RecordSigner signer;
  private RecordVerifier verifier;
  private final RecordRef record = RecordRef.of("Patient", "0193b2c4-7f00-7000-8000-00000000a11c");
  private final UserId author = UserId.parse("0193b2c4-7f00-7000-8000-00000000b0b0");
  private final byte[] content = new byte[256];
  private RecordSignature signature;
  private KeyPair rawKeys;
  private byte[] rawSignature;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keys = new Keys();
    SigningKeyset signing = SigningKeyset.create(keys.keyset("records.json", KeyPurpose.RECORD_SIGNING_ED25519));
    signer = RecordSigner.create(signing, Clock.systemUTC());
    verifier = RecordVerifier.create(signing);
    new SecureRandom().nextBytes(content);
    signature = signer.sign(record, content, author);
    rawKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    rawSignature = rawSign();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    keys.close();
  }

  @Benchmark
  public RecordSignature safeguardsSign() {
    return signer.sign(record, content, author);
  }

  @Benchmark
  public VerifiedRecord safeguardsVerify() throws Exception {
    return verifier.verify(record, content, signature);
  }

  @Benchmark
  public byte[] rawSign() throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(rawKeys.getPrivate());
    s.update(content);
    return s.sign();
  }

  @Benchmark
  public boolean rawVerify() throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(rawKeys.getPublic());
    s.update(content);
    return s.verify(rawSignature);
  }
}
