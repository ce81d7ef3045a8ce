package dev.safeguards.integrity;

import dev.safeguards.integrity.internal.StructuredFields;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Computes RFC 9530 digests over content of any size, fed in pieces, with one or more algorithms at once. Not
 * thread-safe; one calculator per message.
 */
public final class DigestCalculator {

  private final Map<DigestAlgorithm, MessageDigest> digests = new EnumMap<>(DigestAlgorithm.class);
  private Map<DigestAlgorithm, byte[]> results;

  DigestCalculator(DigestAlgorithm... algorithms) {
    if (algorithms.length == 0) {
      throw new IllegalArgumentException("name at least one digest algorithm");
    }
    for (DigestAlgorithm a : algorithms) {
      digests.put(Objects.requireNonNull(a, "algorithm"), a.newMessageDigest());
    }
  }

  /**
   * Feeds bytes.
   *
   * @param bytes holds the bytes to feed; not modified, not null
   * @param offset where they start in {@code bytes}
   * @param length how many to feed
   * @return this calculator
   * @throws NullPointerException if {@code bytes} is null
   * @throws IndexOutOfBoundsException if the range does not lie within {@code bytes}
   * @throws IllegalStateException if the digests are finished
   */
  public DigestCalculator update(byte[] bytes, int offset, int length) {
    requireOpen();
    Objects.checkFromIndexSize(offset, length, bytes.length);
    digests.values().forEach(d -> d.update(bytes, offset, length));
    return this;
  }

  /**
   * Feeds all of {@code bytes}.
   *
   * @param bytes the bytes to feed; not modified, not null
   * @return this calculator
   * @throws NullPointerException if {@code bytes} is null
   * @throws IllegalStateException if the digests are finished
   */
  public DigestCalculator update(byte[] bytes) {
    return update(bytes, 0, bytes.length);
  }

  /**
   * Feeds the remaining bytes of {@code buffer}, leaving its position at its limit.
   *
   * @param buffer the bytes from its position to its limit are fed; not null
   * @return this calculator
   * @throws NullPointerException if {@code buffer} is null
   * @throws IllegalStateException if the digests are finished
   */
  public DigestCalculator update(ByteBuffer buffer) {
    requireOpen();
    int position = buffer.position();
    for (MessageDigest d : digests.values()) {
      buffer.position(position);
      d.update(buffer);
    }
    return this;
  }

  /**
   * An output stream that feeds everything written to it into this calculator (and writes nowhere else).
   *
   * @return a new stream; closing it does nothing, and a write after the digests are finished throws
   *     {@link IllegalStateException}
   */
  public OutputStream asOutputStream() {
    return new OutputStream() {
      @Override
      public void write(int b) {
        update(new byte[] {(byte) b});
      }

      @Override
      public void write(byte[] b, int off, int len) {
        update(b, off, len);
      }
    };
  }

  /**
   * Finishes the digests (once; further updates are refused) and returns the one of {@code algorithm}.
   *
   * @param algorithm one of the algorithms this calculator was made with; not null
   * @return a new copy of the digest, {@link DigestAlgorithm#length()} bytes; the same value on every call
   * @throws NullPointerException if {@code algorithm} is null
   * @throws IllegalArgumentException if this calculator does not compute {@code algorithm}
   */
  public byte[] digest(DigestAlgorithm algorithm) {
    byte[] d = finish().get(algorithm);
    if (d == null) {
      throw new IllegalArgumentException(algorithm.key() + " was not computed by this calculator");
    }
    return d.clone();
  }

  /**
   * Finishes the digests and returns the field value, e.g. {@code sha-512=:...:, sha-256=:...:}.
   *
   * @return an RFC 8941 Dictionary with one Byte Sequence per algorithm, strongest first whatever the order they
   *     were named in
   */
  public String fieldValue() {
    Map<String, StructuredFields.Member> members = new LinkedHashMap<>();
    finish().forEach((a, d) -> members.put(a.key(), StructuredFields.Item.of(new StructuredFields.SfBytes(d))));
    return StructuredFields.serializeDictionary(members);
  }

  private Map<DigestAlgorithm, byte[]> finish() {
    if (results == null) {
      Map<DigestAlgorithm, byte[]> r = new EnumMap<>(DigestAlgorithm.class);
      digests.forEach((a, d) -> r.put(a, d.digest()));
      results = r;
    }
    return results;
  }

  private void requireOpen() {
    if (results != null) {
      throw new IllegalStateException("the digests are finished");
    }
  }
}
