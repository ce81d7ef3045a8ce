package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.testing.MutableClock;
import dev.safeguards.tlog.ProofException;
import dev.safeguards.tlog.Proofs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inclusion proofs of single records and consistency proofs between checkpoints, read from the log's files. */
class AuditProofsTest {

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private final List<AuditCheckpoint> checkpoints = new CopyOnWriteArrayList<>();
  private SigningKeyset keys;
  private SigningKeyset publicKeys;
  private Path logDir;

  @BeforeEach
  void writeLog() throws Exception {
    keys = AuditFixtures.checkpointKeys(tmp, clock);
    publicKeys = SigningKeyset.fromPublicJwks(keys.publicJwks());
    logDir = tmp.resolve("audit");
    AuditEvents events = AuditEvents.create(clock);
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(logDir, keys).clock(clock).maxSegmentBytes(4096)
        .checkpointEvery(7).onCheckpoint(checkpoints::add).open()) {
      for (int i = 0; i < 300; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
    }
  }

  @Test
  void everyRecord_hasAProofThatVerifiesWithThePublicKeyAlone_alsoAfterAJsonRoundTrip() throws Exception {
    AuditCheckpoint published = AuditProofs.published(logDir);
    assertThat(published.size()).isGreaterThan(300);
    for (long seq = 1; seq <= published.size(); seq++) {
      AuditInclusionProof proof = AuditProofs.prove(logDir, seq);
      AuditInclusionProof read = AuditInclusionProof.parse(proof.toJson());
      read.verify(publicKeys);
      assertThat(read.record()).startsWith("{\"seq\":" + seq + ",");
      assertThat(read.checkpoint()).isEqualTo(published);
    }
  }

  @Test
  void aProofOfAnotherRecord_aChangedRecord_orAChangedHash_doesNotVerify() throws Exception {
    AuditInclusionProof proof = AuditProofs.prove(logDir, 42);
    AuditInclusionProof other = AuditProofs.prove(logDir, 43);
    List<byte[]> hashes = new ArrayList<>(proof.proof());
    hashes.get(3)[0] ^= 1;

    for (AuditInclusionProof bad : List.of(
        new AuditInclusionProof(42, other.record(), proof.proof(), proof.checkpoint()),
        new AuditInclusionProof(43, other.record(), proof.proof(), proof.checkpoint()),
        new AuditInclusionProof(42, proof.record().replace("req-", "rEq-"), proof.proof(), proof.checkpoint()),
        new AuditInclusionProof(42, proof.record(), hashes, proof.checkpoint()),
        new AuditInclusionProof(42, proof.record(), proof.proof().subList(1, proof.proof().size()),
            proof.checkpoint()))) {
      assertThatThrownBy(() -> bad.verify(publicKeys)).isInstanceOf(ProofException.class);
    }
    assertThatCode(() -> proof.verify(publicKeys)).doesNotThrowAnyException();
  }

  @Test
  void aCheckpointSignedByAnotherKey_orAlteredAfterSigning_doesNotVerify() throws Exception {
    AuditInclusionProof proof = AuditProofs.prove(logDir, 42);
    SigningKeyset other = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("other")), clock);
    assertThatThrownBy(() -> proof.verify(other)).isInstanceOf(ProofException.class)
        .hasMessageContaining("no checkpoint key signed");

    String json = proof.toJson();
    String size = "\\n" + proof.checkpoint().size() + "\\n";
    String forged = json.replace(size, "\\n" + (proof.checkpoint().size() + 1) + "\\n")
        .replace("\"treeSize\":" + proof.checkpoint().size(), "\"treeSize\":" + (proof.checkpoint().size() + 1));
    assertThat(forged).isNotEqualTo(json);
    assertThatThrownBy(() -> AuditInclusionProof.parse(forged).verify(publicKeys)).isInstanceOf(ProofException.class);
  }

  @Test
  void malformedDocuments_areRefusedWithAClearMessage() {
    for (String bad : new String[] {"", "[]", "{\"format\":\"other\"}", "{\"format\":\"" + AuditInclusionProof.FORMAT
        + "\",\"seq\":\"7\"}", "x".repeat(3 << 20)}) {
      assertThatThrownBy(() -> AuditInclusionProof.parse(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining("xxx");
    }
  }

  @Test
  void aRecordBeyondThePublishedCheckpoint_hasNoProofYet() throws Exception {
    long size = AuditProofs.published(logDir).size();

    assertThatThrownBy(() -> AuditProofs.prove(logDir, size + 1)).isInstanceOf(AuditException.class)
        .hasMessageContaining("covers records 1 to " + size);
    assertThatThrownBy(() -> AuditProofs.prove(logDir, 0)).isInstanceOf(AuditException.class);
  }

  @Test
  void everyEarlierCheckpoint_isConsistentWithThePublishedOne() throws Exception {
    AuditCheckpoint published = AuditProofs.published(logDir);
    assertThat(checkpoints).hasSizeGreaterThan(40);
    for (AuditCheckpoint c : checkpoints) {
      Proofs.verifyConsistency(c.size(), published.size(), c.root(), published.root(),
          AuditProofs.consistency(logDir, c.size(), published.size()));
    }
    AuditCheckpoint first = checkpoints.get(0);
    assertThatThrownBy(() -> Proofs.verifyConsistency(first.size(), published.size(), checkpoints.get(1).root(),
        published.root(), AuditProofs.consistency(logDir, first.size(), published.size())))
        .isInstanceOf(ProofException.class);
  }

  @Test
  void everyEarlierCheckpoint_isProvedConsistentWithThePublishedOne_asADocument() throws Exception {
    AuditCheckpoint published = AuditProofs.published(logDir);
    assertThat(checkpoints).hasSizeGreaterThan(10);
    for (AuditCheckpoint older : checkpoints) {
      AuditConsistencyProof proof = AuditProofs.proveConsistency(logDir, older);
      AuditConsistencyProof read = AuditConsistencyProof.parse(proof.toJson());
      read.verify(publicKeys);
      assertThat(read.older()).isEqualTo(older);
      assertThat(read.newer()).isEqualTo(published);
    }
  }

  @Test
  void aConsistencyProofFromAnotherHistory_aChangedHash_orAnotherKey_doesNotVerify() throws Exception {
    AuditCheckpoint older = checkpoints.get(3);
    AuditConsistencyProof proof = AuditProofs.proveConsistency(logDir, older);
    List<byte[]> hashes = new ArrayList<>(proof.proof());
    hashes.get(0)[0] ^= 1;
    // A checkpoint of another tree of the same size, signed with the log's key: a fork.
    AuditCheckpoint forked = NoteCheckpoints.over(keys).sign(older.origin(), older.size(), new byte[32]);
    for (AuditConsistencyProof bad : List.of(new AuditConsistencyProof(older, proof.newer(), hashes),
        new AuditConsistencyProof(forked, proof.newer(), proof.proof()))) {
      assertThatThrownBy(() -> bad.verify(publicKeys)).isInstanceOf(ProofException.class);
    }
    SigningKeyset another = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("another")), clock);
    assertThatThrownBy(() -> proof.verify(another)).isInstanceOf(ProofException.class)
        .hasMessageContaining("does not verify");
    assertThatThrownBy(() -> AuditProofs.proveConsistency(logDir,
        NoteCheckpoints.over(keys).sign("other.example/audit", 5, new byte[32]))).isInstanceOf(AuditException.class)
        .hasMessageContaining("of the log other.example/audit");
    assertThatThrownBy(() -> AuditProofs.proveConsistency(logDir, NoteCheckpoints.over(keys).sign(older.origin(),
        proof.newer().size() + 1, new byte[32]))).isInstanceOf(AuditException.class);
    assertThatThrownBy(() -> AuditConsistencyProof.parse("{\"format\":\"x\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditConsistencyProof.parse(proof.toJson().replace("\"oldSize\":" + older.size(),
        "\"oldSize\":" + (older.size() + 1)))).isInstanceOf(IllegalArgumentException.class);
  }
}
