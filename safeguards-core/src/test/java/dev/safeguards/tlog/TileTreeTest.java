package dev.safeguards.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiled tree against a direct RFC 9162 reference: roots, proofs, the files, resuming after a crash, damage. */
class TileTreeTest {

  @TempDir Path dir;

  /** RFC 9162 section 2.1.1, written as the RFC states it: MTH(D[n]) = H(1 || MTH(D[0:k]) || MTH(D[k:n])). */
  private static byte[] reference(List<byte[]> leafHashes, int lo, int hi) {
    if (hi - lo == 0) {
      return Merkle.emptyRoot();
    }
    if (hi - lo == 1) {
      return leafHashes.get(lo);
    }
    int k = Integer.highestOneBit(hi - lo - 1);
    return Merkle.nodeHash(reference(leafHashes, lo, lo + k), reference(leafHashes, lo + k, hi));
  }

  private static byte[] leaf(long i) {
    return Merkle.leafHash(ByteBuffer.allocate(8).putLong(i).array());
  }

  private static List<byte[]> leaves(int n) {
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(leaf(i));
    }
    return out;
  }

  @Test
  void theSubtreesAFrontierReportsCompleted_areEveryStoredHashAProofNeeds() throws Exception {
    List<byte[]> leaves = leaves(600);
    java.util.Map<String, byte[]> nodes = new java.util.HashMap<>();
    Frontier frontier = new Frontier();
    for (int n = 1; n <= leaves.size(); n++) {
      nodes.put("0/" + (n - 1), leaves.get(n - 1));
      frontier.append(leaves.get(n - 1), (level, index, hash) -> {
        assertThat(nodes.put(level + "/" + index, hash)).as("reported once").isNull();
      });
      HashReader stored = (level, index) -> {
        byte[] h = nodes.get(level + "/" + index);
        if (h == null) {
          throw new IOException("not stored: " + level + "/" + index);
        }
        return h;
      };
      byte[] root = reference(leaves, 0, n);
      assertThat(frontier.root()).isEqualTo(root);
      assertThat(Proofs.root(stored, n)).isEqualTo(root);
      assertThat(Frontier.of(stored, n).root()).isEqualTo(root);
      int index = new SplittableRandom(n).nextInt(n);
      Proofs.verifyInclusion(leaves.get(index), index, n, Proofs.inclusion(stored, index, n), root);
    }
  }

  @Test
  void tilePaths_areTheC2spEncoding() {
    assertThat(Tiles.encode(0)).isEqualTo("000");
    assertThat(Tiles.encode(7)).isEqualTo("007");
    assertThat(Tiles.encode(1000)).isEqualTo("x001/000");
    assertThat(Tiles.encode(1234067)).isEqualTo("x001/x234/067");
    assertThat(dir.relativize(Tiles.path(dir, 1, 1234067, 256)).toString()).isEqualTo("tile/1/x001/x234/067");
    assertThat(dir.relativize(Tiles.path(dir, 0, 5, 17)).toString()).isEqualTo("tile/0/005.p/17");
    assertThat(Tiles.parseWidth("17")).isEqualTo(17);
    assertThat(List.of("0", "017", "256", "1a", "", "1000")).allSatisfy(w -> assertThat(Tiles.parseWidth(w)).isEqualTo(-1));
  }

  @Test
  void everySizeUpTo600_rootsAndProofsAgreeWithTheReference() throws Exception {
    List<byte[]> leaves = leaves(600);
    TileWriter tree = TileWriter.open(dir, 0);
    SplittableRandom random = new SplittableRandom(9162);
    for (int n = 1; n <= leaves.size(); n++) {
      tree.append(leaves.get(n - 1));
      byte[] root = reference(leaves, 0, n);
      assertThat(tree.root()).as("root of %d", n).isEqualTo(root);
      int index = random.nextInt(n);
      Proofs.verifyInclusion(leaves.get(index), index, n, Proofs.inclusion(tree, index, n), root);
      int old = 1 + random.nextInt(n);
      Proofs.verifyConsistency(old, n, reference(leaves, 0, old), root, Proofs.consistency(tree, old, n));
      if (random.nextInt(10) == 0) {
        tree.sync();
      }
    }
  }

  @Test
  void aTreeCrossingTheSecondTileLevel_isReadBackFromItsFiles() throws Exception {
    int n = 256 * 256 + 300;
    List<byte[]> leaves = leaves(n);
    TileWriter tree = TileWriter.open(dir, 0);
    List<Long> checkpoints = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tree.append(leaves.get(i));
      if (i % 9973 == 0) {
        tree.sync();
        checkpoints.add(tree.size());
      }
    }
    tree.sync();
    checkpoints.add(tree.size());
    byte[] root = reference(leaves, 0, n);
    TileReader files = new TileReader(dir);

    assertThat(Proofs.root(files, n)).isEqualTo(root);
    for (long size : checkpoints) { // an older checkpoint's proofs still come from the files
      byte[] old = reference(leaves, 0, (int) size);
      assertThat(Proofs.root(files, size)).isEqualTo(old);
      Proofs.verifyConsistency(size, n, old, root, Proofs.consistency(files, size, n));
      long index = size - 1;
      Proofs.verifyInclusion(leaves.get((int) index), index, size, Proofs.inclusion(files, index, size), old);
    }
    assertThat(Files.size(dir.resolve("tile/1/000"))).isEqualTo(256 * 32);
    assertThat(Files.exists(dir.resolve("tile/2/000.p/1"))).isTrue();
    assertThat(Files.exists(dir.resolve("tile/0/257.p/44"))).as("leaves 65792 to 65835").isTrue();
    try (var partials = Files.walk(dir.resolve("tile"))) {
      assertThat(partials.filter(p -> p.getParent().getFileName().toString().endsWith(".p")).count())
          .as("one partial tile per level, no leftovers").isEqualTo(3);
    }
  }

  @Test
  void reopeningAtTheLastSyncedSize_discardsTilesWrittenPastIt_andRegrowsTheSameTree() throws Exception {
    List<byte[]> leaves = leaves(1500);
    TileWriter first = TileWriter.open(dir, 0);
    for (int i = 0; i < 700; i++) {
      first.append(leaves.get(i));
    }
    first.sync();
    for (int i = 700; i < 1500; i++) {
      first.append(Merkle.leafHash(new byte[] {(byte) i})); // a history that never got its checkpoint
    }
    first.sync(); // its tiles reached the disk; the checkpoint over them did not

    TileWriter again = TileWriter.open(dir, 700);
    assertThat(again.root()).isEqualTo(reference(leaves, 0, 700));
    assertThat(Files.exists(dir.resolve("tile/0/003"))).as("a full tile past size 700 is gone").isFalse();
    for (int i = 700; i < 1500; i++) {
      again.append(leaves.get(i));
    }
    again.sync();
    assertThat(Proofs.root(new TileReader(dir), 1500)).isEqualTo(reference(leaves, 0, 1500));
  }

  @Test
  void aSnapshotWrittenWhileTheTreeGrows_holdsTheTreeOfItsSize() throws Exception {
    List<byte[]> leaves = leaves(2000);
    TileWriter tree = TileWriter.open(dir, 0);
    leaves.subList(0, 600).forEach(tree::append);
    TileWriter.Snapshot at600 = tree.snapshot();
    leaves.subList(600, 2000).forEach(tree::append);
    at600.write();

    assertThat(at600.size()).isEqualTo(600);
    assertThat(at600.root()).isEqualTo(reference(leaves, 0, 600));
    assertThat(tree.syncedSize()).isEqualTo(600);
    assertThat(Proofs.root(new TileReader(dir), 600)).isEqualTo(reference(leaves, 0, 600));
    assertThatThrownBy(() -> Proofs.root(new TileReader(dir), 2000)).isInstanceOf(IOException.class);
    tree.sync();
    assertThat(Proofs.root(new TileReader(dir), 2000)).isEqualTo(reference(leaves, 0, 2000));
    assertThat(TileWriter.open(dir, 2000).root()).isEqualTo(tree.root());
  }

  @Test
  void openingWithATileMissing_fails() throws Exception {
    TileWriter tree = TileWriter.open(dir, 0);
    leaves(300).forEach(tree::append);
    tree.sync();
    Files.delete(dir.resolve("tile/0/001.p/44"));

    assertThatThrownBy(() -> TileWriter.open(dir, 300)).isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void aDamagedTile_givesProofsThatDoNotVerify() throws Exception {
    List<byte[]> leaves = leaves(1000);
    TileWriter tree = TileWriter.open(dir, 0);
    leaves.forEach(tree::append);
    tree.sync();
    byte[] root = tree.root();
    Path tile = dir.resolve("tile/0/001");
    byte[] bytes = Files.readAllBytes(tile);
    bytes[5 * 32] ^= 1; // leaf 261
    Files.write(tile, bytes);

    List<byte[]> proof = Proofs.inclusion(new TileReader(dir), 260, 1000); // its sibling is the damaged hash
    assertThatThrownBy(() -> Proofs.verifyInclusion(leaves.get(260), 260, 1000, proof, root))
        .isInstanceOf(ProofException.class);
    Files.write(tile, java.util.Arrays.copyOf(bytes, 31 * 32));
    assertThatThrownBy(() -> Proofs.inclusion(new TileReader(dir), 260, 1000)).isInstanceOf(IOException.class)
        .hasMessageContaining("holds 992 bytes");
  }

  @Test
  void proofsAskedOutsideTheTree_areRefused() throws Exception {
    TileWriter tree = TileWriter.open(dir, 0);
    leaves(10).forEach(tree::append);
    assertThatThrownBy(() -> Proofs.inclusion(tree, 10, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Proofs.consistency(tree, 0, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Proofs.consistency(tree, 11, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Proofs.inclusion(tree, 3, 11)).isInstanceOf(IOException.class);
    assertThatCode(() -> Proofs.consistency(tree, 10, 10)).doesNotThrowAnyException();
    assertThatThrownBy(() -> tree.append(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }
}
