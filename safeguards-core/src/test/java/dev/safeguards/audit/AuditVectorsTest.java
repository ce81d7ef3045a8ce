package dev.safeguards.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.tlog.Merkle;
import dev.safeguards.tlog.Proofs;
import dev.safeguards.tlog.TileReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed format-2 log and its expected root and proofs (src/test/resources/audit-v2-vectors, documented there
 * and in docs/audit-log-format.md) hold for this implementation: the vectors other implementations test against.
 */
class AuditVectorsTest {

  private static final String BASE = "/audit-v2-vectors/";
  private static final List<String> FILES = List.of("log/audit-000000000001.jsonl", "log/audit-000000000002.jsonl",
      "log/audit-000000000003.jsonl", "log/checkpoint", "log/tile/0/000.p/28", "checkpoint-keys.jwks",
      "expected.txt");
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path tmp;
  private Path log;
  private SigningKeyset keys;
  private List<String[]> expected;

  /** A copy of the vectors in {@code dir}; returns the log directory. */
  static Path copy(Path dir) throws Exception {
    for (String f : FILES) {
      Path target = dir.resolve(f);
      Files.createDirectories(target.getParent());
      try (InputStream in = AuditVectorsTest.class.getResourceAsStream(BASE + f)) {
        Files.copy(in, target);
      }
    }
    return dir.resolve("log");
  }

  @BeforeEach
  void copyTheVectors() throws Exception {
    log = copy(tmp);
    keys = SigningKeyset.fromPublicJwks(Files.readString(tmp.resolve("checkpoint-keys.jwks")));
    expected = new ArrayList<>();
    for (String line : Files.readAllLines(tmp.resolve("expected.txt"), StandardCharsets.US_ASCII)) {
      expected.add(line.split(" "));
    }
  }

  private String value(String name) {
    return expected.stream().filter(l -> l[0].equals(name)).findFirst().orElseThrow()[1];
  }

  private static List<byte[]> hashes(String[] line, int from) {
    List<byte[]> out = new ArrayList<>();
    for (int i = from; i < line.length; i++) {
      out.add(HEX.parseHex(line[i]));
    }
    return out;
  }

  @Test
  void theLogVerifies_withTheExpectedOriginSizeAndRoot() throws Exception {
    VerifiedAuditLog v = AuditLogVerifier.builder(keys).build().verify(log);

    assertThat(v.origin()).isEqualTo(value("origin"));
    AuditCheckpoint last = v.lastTreeCheckpoint().orElseThrow();
    assertThat(last.size()).isEqualTo(Long.parseLong(value("size")));
    assertThat(HEX.formatHex(last.root())).isEqualTo(value("root"));
  }

  @Test
  void everyRecord_isALeaf_ofTheExpectedTree() throws Exception {
    dev.safeguards.tlog.Frontier tree = new dev.safeguards.tlog.Frontier();
    for (AuditLogFormat.Segment s : AuditLogFormat.segments(log)) {
      for (String line : Files.readAllLines(s.path(), StandardCharsets.US_ASCII)) {
        tree.append(Merkle.leafHash(line.getBytes(StandardCharsets.US_ASCII)));
      }
    }
    String[] records = expected.stream().filter(l -> l[0].equals("records")).findFirst().orElseThrow();

    assertThat(tree.size()).isEqualTo(Long.parseLong(records[1]));
    assertThat(HEX.formatHex(tree.root())).isEqualTo(records[2]);
  }

  @Test
  void everyCheckpointRoot_inclusionAndConsistencyProof_isTheExpectedOne() throws Exception {
    TileReader tiles = new TileReader(log);
    byte[] root = HEX.parseHex(value("root"));
    long size = Long.parseLong(value("size"));
    int checked = 0;
    for (String[] line : expected) {
      switch (line[0]) {
        case "checkpoint" -> assertThat(HEX.formatHex(Proofs.root(tiles, Long.parseLong(line[1])))).isEqualTo(line[2]);
        case "inclusion" -> {
          long seq = Long.parseLong(line[1]);
          AuditInclusionProof p = AuditProofs.prove(log, seq);
          assertThat(p.proof()).usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(
              hashes(line, 3));
          Proofs.verifyInclusion(Merkle.leafHash(p.record().getBytes(StandardCharsets.US_ASCII)), seq - 1, size,
              hashes(line, 3), root);
        }
        case "consistency" -> {
          long m = Long.parseLong(line[1]);
          assertThat(AuditProofs.consistency(log, m, size)).usingElementComparator(java.util.Arrays::compare)
              .containsExactlyElementsOf(hashes(line, 3));
          byte[] old = HEX.parseHex(expected.stream().filter(l -> l[0].equals("checkpoint")
              && Long.parseLong(l[1]) == m).findFirst().orElseThrow()[2]);
          Proofs.verifyConsistency(m, size, old, root, hashes(line, 3));
        }
        default -> {
          continue;
        }
      }
      checked++;
    }
    assertThat(checked).isGreaterThan(10);
  }
}
