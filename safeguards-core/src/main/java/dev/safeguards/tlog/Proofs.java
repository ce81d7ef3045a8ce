package dev.safeguards.tlog;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * RFC 9162 Merkle proofs: tree heads, inclusion proofs (section 2.1.3) and consistency proofs (section 2.1.4), made
 * from a tree's stored hashes and checked from the hashes alone.
 *
 * <p>Making a proof reads {@code O(log n)} perfect-subtree hashes through a {@link HashReader} (at most a few per
 * level). Checking one follows the RFC's algorithms, plus the two checks the RFC text leaves implicit and every
 * interoperable verifier makes: every hash is exactly 32 bytes, and there is no consistency proof from the empty tree.
 */
public final class Proofs {

  /** No tree of up to 2^63 leaves has a longer proof. */
  private static final int MAX_PROOF = 64;

  private Proofs() {}

  /**
   * The root hash of the first {@code size} leaves.
   *
   * @param hashes the stored hashes of a tree of at least {@code size} leaves
   * @param size how many leaves, from the first, the tree has; not negative
   * @return the 32-byte root hash; {@link Merkle#emptyRoot()} when {@code size} is 0
   * @throws IOException if {@code hashes} cannot read a hash the root needs
   * @throws IllegalArgumentException if {@code size} is negative
   */
  public static byte[] root(HashReader hashes, long size) throws IOException {
    if (size < 0) {
      throw new IllegalArgumentException("a tree size is not negative");
    }
    return size == 0 ? Merkle.emptyRoot() : range(hashes, 0, size);
  }

  /**
   * The inclusion proof of leaf {@code index} in the tree of the first {@code size} leaves: the sibling hashes from
   * the leaf up to the root (RFC 9162 section 2.1.3.1).
   *
   * @param hashes the stored hashes of a tree of at least {@code size} leaves
   * @param index the leaf's position, from 0
   * @param size how many leaves, from the first, the tree has
   * @return the proof's 32-byte hashes, from the leaf's sibling up; empty for a tree of one leaf; a new, modifiable
   *     list
   * @throws IOException if {@code hashes} cannot read a hash the proof needs
   * @throws IllegalArgumentException unless {@code 0 <= index < size}
   */
  public static List<byte[]> inclusion(HashReader hashes, long index, long size) throws IOException {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of size " + size);
    }
    List<byte[]> proof = new ArrayList<>();
    long lo = 0;
    long hi = size;
    while (hi - lo > 1) {
      long k = Merkle.split(hi - lo);
      if (index - lo < k) {
        proof.add(range(hashes, lo + k, hi));
        hi = lo + k;
      } else {
        proof.add(range(hashes, lo, lo + k));
        lo += k;
      }
    }
    Collections.reverse(proof);
    return proof;
  }

  /**
   * The consistency proof that the tree of the first {@code size2} leaves extends the tree of the first {@code size1}
   * (RFC 9162 section 2.1.4.1); empty when the sizes are equal.
   *
   * @param hashes the stored hashes of a tree of at least {@code size2} leaves
   * @param size1 how many leaves the older tree has
   * @param size2 how many leaves the newer tree has
   * @return the proof's 32-byte hashes, in the RFC's order; a new, modifiable list
   * @throws IOException if {@code hashes} cannot read a hash the proof needs
   * @throws IllegalArgumentException unless {@code 0 < size1 <= size2}
   */
  public static List<byte[]> consistency(HashReader hashes, long size1, long size2) throws IOException {
    if (size1 <= 0 || size1 > size2) {
      throw new IllegalArgumentException("no consistency proof from size " + size1 + " to size " + size2);
    }
    List<byte[]> proof = new ArrayList<>();
    long m = size1;
    long lo = 0;
    long hi = size2;
    boolean whole = true; // SUBPROOF's b: the old tree is still a whole subtree the verifier has
    while (m != hi - lo) {
      long k = Merkle.split(hi - lo);
      if (m <= k) {
        proof.add(range(hashes, lo + k, hi));
        hi = lo + k;
      } else {
        proof.add(range(hashes, lo, lo + k));
        lo += k;
        m -= k;
        whole = false;
      }
    }
    if (!whole) {
      proof.add(range(hashes, lo, hi));
    }
    Collections.reverse(proof);
    return proof;
  }

  /**
   * Checks that {@code leafHash} is leaf {@code index} of the tree of {@code size} leaves whose root is {@code root}
   * (RFC 9162 section 2.1.3.2).
   *
   * @param leafHash the leaf's hash ({@link Merkle#leafHash}), 32 bytes
   * @param index the leaf's claimed position, from 0
   * @param size how many leaves the tree has
   * @param proof the inclusion proof, as {@link #inclusion} makes it; at most 64 hashes
   * @param root the root the proof must lead to, 32 bytes
   * @throws ProofException if it is not, or any hash is not 32 bytes
   */
  public static void verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root)
      throws ProofException {
    checkHashes(proof, root);
    check(leafHash, "the leaf hash");
    if (index < 0 || index >= size) {
      throw new ProofException("leaf " + index + " is not in a tree of size " + size);
    }
    byte[] computed = rootFromInclusion(leafHash, index, size, proof);
    if (!MessageDigest.isEqual(computed, root)) {
      throw new ProofException("the inclusion proof does not lead to the root");
    }
  }

  /**
   * Checks that the tree of {@code size2} leaves with root {@code root2} extends the tree of {@code size1} leaves with
   * root {@code root1} (RFC 9162 section 2.1.4.2).
   *
   * @param size1 how many leaves the older tree has; at least 1
   * @param size2 how many leaves the newer tree has; at least {@code size1}
   * @param root1 the older tree's root hash, 32 bytes
   * @param root2 the newer tree's root hash, 32 bytes
   * @param proof the consistency proof, as {@link #consistency} makes it; at most 64 hashes
   * @throws ProofException if it does not, the sizes are out of order or {@code size1} is 0, or a hash is not 32
   *     bytes (between equal sizes, the proof must be empty and the roots present and equal, compared as given)
   */
  public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof)
      throws ProofException {
    if (size1 <= 0 || size1 > size2) {
      throw new ProofException("no consistency proof from size " + size1 + " to size " + size2);
    }
    if (size1 == size2) { // the same tree: the roots are compared as given (as transparency-dev/merkle does)
      if (proof == null || !proof.isEmpty()) {
        throw new ProofException("a proof between equal sizes is empty");
      }
      if (root1 == null || root2 == null) {
        throw new ProofException("a root is missing");
      }
      if (!MessageDigest.isEqual(root1, root2)) {
        throw new ProofException("two trees of size " + size1 + " have different roots");
      }
      return;
    }
    checkHashes(proof, root1);
    check(root2, "the second root");
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(size1) == 1) {
      path.add(root1); // the old tree is a whole subtree of the new one: its root is the first step
    }
    path.addAll(proof);
    if (path.isEmpty() || proof.isEmpty()) {
      throw new ProofException("the consistency proof is empty");
    }
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        throw new ProofException("the consistency proof is too long");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = Merkle.nodeHash(c, fr);
        sr = Merkle.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = Merkle.nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new ProofException("the consistency proof is too short");
    }
    if (!MessageDigest.isEqual(fr, root1)) {
      throw new ProofException("the consistency proof does not lead to the first root");
    }
    if (!MessageDigest.isEqual(sr, root2)) {
      throw new ProofException("the consistency proof does not lead to the second root");
    }
  }

  private static byte[] rootFromInclusion(byte[] leafHash, long index, long size, List<byte[]> proof)
      throws ProofException {
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        throw new ProofException("the inclusion proof is too long");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Merkle.nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = Merkle.nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new ProofException("the inclusion proof is too short");
    }
    return r;
  }

  /** The root of leaves {@code [lo, hi)}, where {@code lo} is a multiple of the split of the range. */
  static byte[] range(HashReader hashes, long lo, long hi) throws IOException {
    long size = hi - lo;
    if (Long.bitCount(size) == 1) {
      int level = Long.numberOfTrailingZeros(size);
      return hashes.node(level, lo >>> level);
    }
    long k = Merkle.split(size);
    return Merkle.nodeHash(range(hashes, lo, lo + k), range(hashes, lo + k, hi));
  }

  private static void checkHashes(List<byte[]> proof, byte[] root) throws ProofException {
    if (proof == null || proof.size() > MAX_PROOF) {
      throw new ProofException("a proof holds at most " + MAX_PROOF + " hashes");
    }
    check(root, "the root");
    for (byte[] p : proof) {
      check(p, "a proof hash");
    }
  }

  private static void check(byte[] hash, String what) throws ProofException {
    if (hash == null || hash.length != Merkle.HASH_SIZE) {
      throw new ProofException(what + " is not a " + Merkle.HASH_SIZE + "-byte hash");
    }
  }
}
