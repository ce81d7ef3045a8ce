package dev.safeguards.tlog;

/**
 * The right edge of a growing Merkle tree: the roots of its perfect subtrees, one per set bit of its size, which is
 * all it takes to append a leaf and to compute the root ({@code O(log n)} hashes, no storage). Not thread-safe.
 */
public final class Frontier implements GrowingTree {

  /** {@code roots[l]} is the root of the perfect subtree of {@code 2^l} leaves where bit {@code l} of size is set. */
  private final byte[][] roots = new byte[64][];
  private long size;

  /** The frontier of the tree of no leaves. */
  public Frontier() {}

  /**
   * The frontier of the tree of {@code size} leaves whose hashes {@code hashes} holds.
   *
   * @param hashes the stored hashes of a tree of at least {@code size} leaves; read once per set bit of {@code size}
   * @param size how many leaves the tree has; not negative
   * @return the frontier, ready to append leaf {@code size}
   * @throws IllegalArgumentException if {@code size} is negative
   * @throws java.io.IOException if a hash cannot be read
   */
  public static Frontier of(HashReader hashes, long size) throws java.io.IOException {
    if (size < 0) {
      throw new IllegalArgumentException("a tree size is not negative");
    }
    Frontier f = new Frontier();
    long start = 0;
    for (int level = 63; level >= 0; level--) {
      if ((size & (1L << level)) != 0) {
        f.roots[level] = hashes.node(level, start >>> level);
        start += 1L << level;
      }
    }
    f.size = size;
    return f;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void append(byte[] leafHash) {
    append(leafHash, null);
  }

  /**
   * Appends the leaf whose leaf hash is {@code leafHash}, and gives {@code completed} (if not null) the root of every
   * perfect subtree of two or more leaves the leaf completes, smallest first: what a store of the tree's hashes
   * ({@link HashReader}) must add for this leaf beside the leaf hash.
   *
   * @param leafHash the new leaf's leaf hash; copied, not kept
   * @param completed receives the completed subtrees, each hash a copy of its own; may be null
   * @throws IllegalArgumentException if {@code leafHash} is not 32 bytes
   */
  public void append(byte[] leafHash, CompletedSubtree completed) {
    Merkle.checkHash(leafHash, "a leaf hash");
    long index = size;
    byte[] subtree = leafHash.clone();
    int level = 0;
    for (; roots[level] != null; level++) {
      subtree = Merkle.nodeHash(roots[level], subtree);
      roots[level] = null;
      if (completed != null) {
        completed.node(level + 1, index >>> (level + 1), subtree.clone());
      }
    }
    roots[level] = subtree;
    size++;
  }

  /** Receives the perfect subtrees a leaf completes. */
  @FunctionalInterface
  public interface CompletedSubtree {

    /**
     * The perfect subtree at {@code level} (at least 1) and {@code index} is complete; its root is {@code hash}.
     *
     * @param level the subtree's height, at least 1: it covers {@code 2^level} leaves
     * @param index the subtree's position among those of its level, from 0 on the left
     * @param hash its 32-byte root hash, the receiver's to keep
     */
    void node(int level, long index, byte[] hash);
  }

  @Override
  public byte[] root() {
    byte[] root = null;
    for (byte[] subtree : roots) {
      if (subtree != null) {
        root = root == null ? subtree : Merkle.nodeHash(subtree, root);
      }
    }
    return root == null ? Merkle.emptyRoot() : root.clone();
  }
}
