package dev.safeguards.tlog;

/** A Merkle tree that grows leaf by leaf: its size, a new leaf, its root. */
public interface GrowingTree {

  /** The number of leaves. */
  long size();

  /**
   * Appends the leaf whose leaf hash ({@link Merkle#leafHash}) is {@code leafHash}.
   *
   * @throws IllegalArgumentException if it is not 32 bytes
   */
  void append(byte[] leafHash);

  /** The root hash of the tree of all leaves appended. */
  byte[] root();
}
