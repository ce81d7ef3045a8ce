package dev.safeguards.tlog;

/** A Merkle tree that grows leaf by leaf: its size, a new leaf, its root. */
public interface GrowingTree {

  /**
   * The number of leaves.
   *
   * @return how many leaves were appended, at least 0
   */
  long size();

  /**
   * Appends the leaf whose leaf hash ({@link Merkle#leafHash}) is {@code leafHash}.
   *
   * @param leafHash the new leaf's leaf hash; copied, not kept
   * @throws IllegalArgumentException if it is not 32 bytes
   */
  void append(byte[] leafHash);

  /**
   * The root hash of the tree of all leaves appended.
   *
   * @return the 32-byte root hash, a new array; {@link Merkle#emptyRoot()} for a tree of no leaves
   */
  byte[] root();
}
