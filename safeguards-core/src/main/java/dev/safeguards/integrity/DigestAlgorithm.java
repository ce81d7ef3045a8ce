package dev.safeguards.integrity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;

/**
 * The hashing algorithms Safeguards accepts in RFC 9530 digest fields, strongest first. The algorithms RFC 9530
 * registers as insecure or non-cryptographic (md5, sha, unixsum, unixcksum, adler, crc32c) are refused.
 */
public enum DigestAlgorithm {
  /** SHA-512, 64-byte digests. */
  SHA_512("sha-512", "SHA-512", 64),
  /** SHA-256, 32-byte digests. */
  SHA_256("sha-256", "SHA-256", 32);

  /** Algorithm keys of the RFC 9530 registry that are insecure or not cryptographic. */
  static final Set<String> INSECURE = Set.of("md5", "sha", "unixsum", "unixcksum", "adler", "crc32c");

  private final String key;
  private final String jcaName;
  private final int length;

  DigestAlgorithm(String key, String jcaName, int length) {
    this.key = key;
    this.jcaName = jcaName;
    this.length = length;
  }

  /**
   * The key in the field, e.g. {@code sha-256}.
   *
   * @return the algorithm's key in the RFC 9530 registry, lower case
   */
  public String key() {
    return key;
  }

  /**
   * The digest length in bytes.
   *
   * @return 64 for SHA-512, 32 for SHA-256
   */
  public int length() {
    return length;
  }

  /**
   * The algorithm whose field key is {@code key}, if Safeguards accepts it.
   *
   * @param key a dictionary key of a digest field, compared exactly (keys are lower case); may be null
   * @return the algorithm; empty for an insecure, unknown or null key
   */
  public static Optional<DigestAlgorithm> forKey(String key) {
    for (DigestAlgorithm a : values()) {
      if (a.key.equals(key)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  MessageDigest newMessageDigest() {
    try {
      return MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has " + jcaName, e);
    }
  }
}
