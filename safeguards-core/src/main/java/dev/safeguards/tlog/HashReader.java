package dev.safeguards.tlog;

import java.io.IOException;

/** Reads the stored hashes of a Merkle tree: the root of any perfect subtree within the tree read. */
@FunctionalInterface
public interface HashReader {

  /**
   * The hash of the perfect subtree at {@code level} and {@code index}, which covers leaves {@code [index * 2^level,
   * (index + 1) * 2^level)} (level 0: the leaf hashes).
   *
   * @param level the subtree's height: 0 for a leaf hash, {@code l} for the root of {@code 2^l} leaves; 0 to 63
   * @param index the subtree's position among those of its level, from 0 on the left
   * @return the subtree's 32-byte root hash
   * @throws IOException if the hash cannot be read, or is not stored (the subtree is not complete in the tree held)
   */
  byte[] node(int level, long index) throws IOException;
}
