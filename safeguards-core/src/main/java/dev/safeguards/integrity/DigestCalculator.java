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

  /** Feeds bytes. */
  public DigestCalculator update(byte[] bytes, int offset, int length) {
    requireOpen();
    Objects.checkFromIndexSize(offset, length, bytes.length);
    digests.values().forEach(d -> d.update(bytes, offset, length));
    return this;
  }

  /** Feeds all of {@code bytes}. */
  public DigestCalculator update(byte[] bytes) {
    return update(bytes, 0, bytes.length);
  }

  /** Feeds the remaining bytes of {@code buffer}, leaving its position at its limit. */
  public DigestCalculator update(ByteBuffer buffer) {
    requireOpen();
    int position = buffer.position();
    for (MessageDigest d : digests.values()) {
      buffer.position(position);
      d.update(buffer);
    }
    return this;
  }

  /** An output stream that feeds everything written to it into this calculator (and writes nowhere else). */
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

  /** Finishes the digests (once; further updates are refused) and returns the one of {@code algorithm}. */
  public byte[] digest(DigestAlgorithm algorithm) {
    byte[] d = finish().get(algorithm);
    if (d == null) {
      throw new IllegalArgumentException(algorithm.key() + " was not computed by this calculator");
    }
    return d.clone();
  }

  /** Finishes the digests and returns the field value, e.g. {@code sha-512=:...:, sha-256=:...:}. */
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
