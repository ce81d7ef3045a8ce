package dev.safeguards.crypto;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What a {@link SealedArchive} holds, as recorded inside it (and therefore authenticated with it): the archive's id
 * and creation time, every entry with its size and SHA-256, and a digest over the whole content.
 *
 * @param archiveId the random id written in the archive's header and bound to its ciphertext
 * @param createdAt when the archive was written
 * @param entries the entries, in the order they were added
 * @param totalBytes the sum of the entries' sizes
 * @param contentDigest lower-case hex SHA-256 of the archive's plaintext up to the manifest's length field
 *     (docs/encryption.md)
 */
public record ArchiveManifest(
    UUID archiveId, Instant createdAt, List<Entry> entries, long totalBytes, String contentDigest) {

  /**
   * Checks every component.
   *
   * @param archiveId the archive's random id; not null
   * @param createdAt when the archive was written; not null
   * @param entries the entries in the order they were added; copied, may be empty, none null
   * @param totalBytes the sum of the entries' sizes
   * @param contentDigest lower-case hex SHA-256 of the plaintext before the manifest; 64 digits, not null
   * @throws NullPointerException if a component or an entry is null
   * @throws IllegalArgumentException if the digest is not 64 lower-case hex digits, two entries share a name, or
   *     {@code totalBytes} is not the sum of the entry sizes (a sum beyond {@code Long.MAX_VALUE} included)
   */
  public ArchiveManifest {
    Objects.requireNonNull(archiveId, "archiveId");
    Objects.requireNonNull(createdAt, "createdAt");
    entries = List.copyOf(entries);
    requireSha256Hex(contentDigest, "contentDigest");
    long sum = 0;
    Set<String> names = new HashSet<>();
    for (Entry e : entries) {
      try {
        sum = Math.addExact(sum, e.size());
      } catch (ArithmeticException overflow) {
        throw new IllegalArgumentException("the entry sizes add up to more than a long holds");
      }
      if (!names.add(e.name())) {
        throw new IllegalArgumentException("duplicate entry name");
      }
    }
    if (sum != totalBytes) {
      throw new IllegalArgumentException("totalBytes is not the sum of the entry sizes");
    }
  }

  /**
   * The number of entries.
   *
   * @return the size of {@link #entries()}; 0 for an archive without entries
   */
  public int entryCount() {
    return entries.size();
  }

  /**
   * One entry of an archive.
   *
   * @param name the entry's relative path (see {@link SealedArchive} for the allowed names)
   * @param size its size in bytes
   * @param sha256 lower-case hex SHA-256 of its content
   */
  public record Entry(String name, long size, String sha256) {

    /**
     * Checks every component.
     *
     * @param name the entry's relative path, as {@link SealedArchive} allows it
     * @param size its size in bytes; not negative
     * @param sha256 lower-case hex SHA-256 of its content; 64 digits, not null
     * @throws NullPointerException if the name or the hash is null
     * @throws IllegalArgumentException if the name is not allowed, the size is negative, or the hash is not 64
     *     lower-case hex digits
     */
    public Entry {
      SealedArchive.checkEntryName(name);
      if (size < 0) {
        throw new IllegalArgumentException("size must not be negative");
      }
      requireSha256Hex(sha256, "sha256");
    }
  }

  private static void requireSha256Hex(String hex, String name) {
    Objects.requireNonNull(hex, name);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(name + " must be 64 lower-case hex digits");
    }
  }
}
