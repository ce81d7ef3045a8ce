package dev.safeguards.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6962 / 9162 known answers and the 196 inclusion and consistency probes of transparency-dev/merkle
 * (src/test/resources/vectors/rfc6962-9162-merkle-transparency-dev.txt, whose first lines name the source commit).
 */
class MerkleVectorsTest {

  private static final String FILE = "/vectors/rfc6962-9162-merkle-transparency-dev.txt";
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;

  @Test
  void hasherKnownAnswers() {
    assertThat(HEX.formatHex(Merkle.emptyRoot()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(HEX.formatHex(Merkle.leafHash(new byte[0])))
        .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    assertThat(HEX.formatHex(Merkle.leafHash("L123456".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
    assertThat(HEX.formatHex(Merkle.nodeHash("N123".getBytes(StandardCharsets.US_ASCII),
        "N456".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
  }

  @Test
  void rootsAndNodesOfTheTestTrees_matchTheReference() throws Exception {
    String constants = text();
    List<byte[]> leaves = hexList(section(constants, "func LeafInputs", "func NodeHashes"));
    List<byte[]> roots = hexList(section(constants, "func RootHashes", "func CompactTrees"));
    String nodes = section(constants, "func NodeHashes", "// RootHashes");
    TileWriter tree = TileWriter.open(dir, 0);
    assertThat(tree.root()).isEqualTo(HEX.parseHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    for (int n = 1; n <= leaves.size(); n++) {
      tree.append(Merkle.leafHash(leaves.get(n - 1)));
      assertThat(HEX.formatHex(tree.root())).as("root of size %d", n).isEqualTo(HEX.formatHex(roots.get(n - 1)));
    }
    String[] levels = nodes.split("\\}, \\{");
    for (int level = 0; level < levels.length; level++) {
      List<byte[]> hashes = hexList(levels[level]);
      for (int i = 0; i < hashes.size(); i++) {
        assertThat(tree.node(level, i)).as("node %d/%d", level, i).isEqualTo(hashes.get(i));
      }
    }
    tree.sync();
    assertThat(Proofs.root(new TileReader(dir), 8)).isEqualTo(roots.get(7));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusionProbes")
  void inclusionProbe(String name, JsonNode probe) {
    boolean wantErr = probe.get("wantErr").asBoolean();
    List<byte[]> proof = hashes(probe.get("proof"));
    Check check = () -> Proofs.verifyInclusion(bytes(probe.get("leafHash")), probe.get("leafIdx").asLong(),
        probe.get("treeSize").asLong(), proof, bytes(probe.get("root")));
    if (wantErr) {
      assertThatThrownBy(check::run).isInstanceOf(ProofException.class);
    } else {
      assertThat(succeeds(check)).as(name).isNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consistencyProbes")
  void consistencyProbe(String name, JsonNode probe) {
    boolean wantErr = probe.get("wantErr").asBoolean();
    List<byte[]> proof = hashes(probe.get("proof"));
    Check check = () -> Proofs.verifyConsistency(probe.get("size1").asLong(), probe.get("size2").asLong(),
        bytes(probe.get("root1")), bytes(probe.get("root2")), proof);
    if (wantErr) {
      assertThatThrownBy(check::run).isInstanceOf(ProofException.class);
    } else {
      assertThat(succeeds(check)).as(name).isNull();
    }
  }

  @Test
  void betweenEqualSizes_missingRoots_areRefused_thoughTheyAreEqual() {
    List<byte[]> none = List.of();
    assertThatThrownBy(() -> Proofs.verifyConsistency(5, 5, null, null, none)).isInstanceOf(ProofException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> Proofs.verifyConsistency(5, 5, new byte[32], null, none))
        .isInstanceOf(ProofException.class);
    assertThat(succeeds(() -> Proofs.verifyConsistency(5, 5, new byte[32], new byte[32], none))).isNull();
  }

  @Test
  void theFileHoldsEveryProbe() throws IOException {
    assertThat(probes("inclusion").count() + probes("consistency").count()).isEqualTo(196);
  }

  static Stream<Arguments> inclusionProbes() throws IOException {
    return probes("inclusion");
  }

  static Stream<Arguments> consistencyProbes() throws IOException {
    return probes("consistency");
  }

  private static Stream<Arguments> probes(String kind) throws IOException {
    String text = text();
    ObjectMapper json = new ObjectMapper();
    List<Arguments> found = new ArrayList<>();
    Matcher m = Pattern.compile("(?ms)^--- FILE (testdata/" + kind + "/\\S+)\\n(\\{.*?\\n\\})").matcher(text);
    while (m.find()) {
      found.add(Arguments.of(m.group(1), json.readTree(m.group(2))));
    }
    return found.stream();
  }

  @FunctionalInterface
  private interface Check {
    void run() throws ProofException;
  }

  private static ProofException succeeds(Check check) {
    try {
      check.run();
      return null;
    } catch (ProofException e) {
      return e;
    }
  }

  private static List<byte[]> hashes(JsonNode proof) {
    List<byte[]> hashes = new ArrayList<>();
    if (proof != null && !proof.isNull()) {
      proof.forEach(p -> hashes.add(bytes(p)));
    }
    return hashes;
  }

  private static byte[] bytes(JsonNode node) {
    return node == null || node.isNull() ? new byte[0] : Base64.getDecoder().decode(node.asText());
  }

  private static String text() throws IOException {
    try (InputStream in = MerkleVectorsTest.class.getResourceAsStream(FILE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String section(String text, String from, String to) {
    int start = text.indexOf(from);
    return text.substring(start, text.indexOf(to, start));
  }

  private static List<byte[]> hexList(String text) {
    List<byte[]> out = new ArrayList<>();
    Matcher m = Pattern.compile("hd\\(\"([0-9a-f]*)\"\\)").matcher(text);
    while (m.find()) {
      out.add(HEX.parseHex(m.group(1)));
    }
    return out;
  }
}
