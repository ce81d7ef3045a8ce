package dev.safeguards.tlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The hashes of an RFC 9162 (RFC 6962) Merkle tree with SHA-256: a leaf is {@code SHA-256(0x00 || leaf bytes)}, an
 * interior node {@code SHA-256(0x01 || left || right)}, and the tree of no leaves {@code SHA-256("")} (RFC 9162
 * section 2.1.1). The two prefixes keep a leaf from ever hashing like a node (second-preimage resistance).
 *
 * <p>A tree of {@code n} leaves splits at {@code k}, the largest power of two below {@code n}: its root is the node
 * over the root of leaves {@code [0, k)} and the root of leaves {@code [k, n)}. A <em>node</em> here is the root of a
 * perfect subtree: level {@code l}, index {@code i} covers leaves {@code [i * 2^l, (i + 1) * 2^l)}.
 */
public final class Merkle {

  /** Bytes in every hash. */
  public static final int HASH_SIZE = 32;


  private Merkle() {}

  /**
   * The leaf hash of {@code leaf}: {@code SHA-256(0x00 || leaf)}.
   *
   * @param leaf the leaf's bytes (a whole audit record, say); not null, may be empty
   * @return the 32-byte leaf hash, a new array
   */
  public static byte[] leafHash(byte[] leaf) {
    return leafHash(leaf, 0, leaf.length);
  }

  /**
   * The leaf hash of {@code length} bytes of {@code leaf} from {@code offset}.
   *
   * @param leaf the array holding the leaf's bytes; not null
   * @param offset where the leaf's bytes begin in {@code leaf}
   * @param length how many bytes the leaf has; may be 0
   * @return the 32-byte leaf hash, a new array
   * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not lie within {@code leaf}
   */
  public static byte[] leafHash(byte[] leaf, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, leaf.length);
    MessageDigest sha = sha256();
    sha.update(LEAF_PREFIX, 0, 1);
    sha.update(leaf, offset, length);
    return sha.digest();
  }

  /**
   * The node over two children: {@code SHA-256(0x01 || left || right)}. The children are hashes of {@value #HASH_SIZE}
   * bytes in any tree; {@link Proofs} checks that before it hashes.
   *
   * @param left the left child's hash; not null
   * @param right the right child's hash; not null
   * @return the 32-byte node hash, a new array
   */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    Hasher h = HASHER.get();
    MessageDigest sha = h.sha;
    if (left.length != HASH_SIZE || right.length != HASH_SIZE) {
      sha.update((byte) 1);
      sha.update(left);
      sha.update(right);
      return sha.digest();
    }
    byte[] node = h.node;
    System.arraycopy(left, 0, node, 1, HASH_SIZE);
    System.arraycopy(right, 0, node, 1 + HASH_SIZE, HASH_SIZE);
    sha.update(node, 0, node.length);
    return sha.digest();
  }

  /**
   * The root of the tree of no leaves: {@code SHA-256("")}.
   *
   * @return the 32-byte hash, a new array
   */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /** {@code k}: the largest power of two smaller than {@code n}, for {@code n > 1}. */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  static void checkHash(byte[] hash, String what) {
    if (hash == null || hash.length != HASH_SIZE) {
      throw new IllegalArgumentException(what + " is not a " + HASH_SIZE + "-byte hash");
    }
  }

  /**
   * A SHA-256 digest of this thread's own, ready for a new hash: looking one up for every hash costs more than the
   * hash. Every use ends with {@link MessageDigest#digest()}, which resets it, and nothing that can throw runs between
   * a use's first update and that digest; so it is not reset again here (a reset costs a tenth of a node's hash).
   */
  static MessageDigest sha256() {
    return HASHER.get().sha;
  }

  private static final byte[] LEAF_PREFIX = {0};

  /** A thread's SHA-256 digest, and the bytes of the node it hashes ({@code 0x01 || left || right}, in one update). */
  private static final class Hasher {
    final MessageDigest sha;
    final byte[] node = new byte[1 + 2 * HASH_SIZE];

    Hasher() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-256", e);
      }
      node[0] = 1;
    }
  }

  private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);
}
