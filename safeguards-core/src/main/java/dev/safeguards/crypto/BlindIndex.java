package dev.safeguards.crypto;

import java.util.List;
import java.util.Objects;

/**
 * A keyed, deterministic token for equality search on an encrypted field: store {@link #token} beside the ciphertext,
 * and look a value up with {@code WHERE index IN (searchTokens(value))} (164.312(a)(2)(iv)).
 *
 * <p>A token is HMAC-SHA256 of the normalized value under a secret key of its own ({@link KeyPurpose#BLIND_INDEX}),
 * domain-separated by entity type and field name, so that the same SSN gives unrelated tokens in two fields. Without
 * the key a token reveals nothing about the value and cannot be brute-forced, even for small value spaces like SSNs.
 *
 * <p><b>What it leaks</b>, by design: equal values (after normalization) have equal tokens, so whoever reads the
 * table learns which rows share a value and how often each value occurs. Truncation ({@link Builder#truncateTo}) trades
 * that for false positives: with {@code n} bytes, about one row in 2<sup>8n</sup> collides with any search, so the
 * application must decrypt and compare the candidates. docs/encryption.md discusses the trade-off.
 *
 * <p>Tokens are ASCII ({@code bi1:}, the 8-hex-digit key id, {@code :}, unpadded base64url). Instances are thread-safe
 * and follow the keyset's rotations at once: after a rotation, {@link #token} uses the new key while
 * {@link #searchTokens} still matches rows indexed under every enabled key.
 */
public interface BlindIndex {

  /** The prefix of every token in this format version. */
  String PREFIX = "bi1:";

  /**
   * Starts building an index for one field.
   *
   * @param keyset a {@link KeyPurpose#BLIND_INDEX} keyset
   * @param entityType the kind of record, e.g. {@code Patient}
   * @param fieldName the indexed field, e.g. {@code ssn}
   * @return a builder with the {@link Normalizer#identity() identity} normalizer and full 32-byte tokens
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the keyset has another purpose, or a name is empty, longer than
   *     {@value FieldContext#MAX_LENGTH} characters, or holds a control character
   */
  static Builder builder(ManagedKeyset keyset, String entityType, String fieldName) {
    return new Builder(keyset, entityType, fieldName);
  }

  /**
   * The token to store for {@code value}, under the primary key.
   *
   * @param value the plaintext value, normalized before it is hashed; not null
   * @return {@code bi1:}, the primary key's id, {@code :}, and the unpadded base64url (truncated) HMAC; the same for
   *     equal normalized values as long as the primary key does not change
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if the value is empty after normalization, or not well-formed text (an unpaired
   *     surrogate, which has no UTF-8 form and so no index of its own)
   */
  String token(String value);

  /**
   * The tokens that match {@code value} under every enabled key, the primary key's first.
   *
   * @param value the plaintext value to look up, normalized as for {@link #token}; not null
   * @return an unmodifiable list of one token per enabled key; never empty
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if the value is empty after normalization, or not well-formed text (an unpaired
   *     surrogate, which has no UTF-8 form and so no index of its own)
   */
  List<String> searchTokens(String value);

  /** Configures a {@link BlindIndex}. */
  final class Builder {
    /** Full HMAC-SHA256 output. */
    public static final int MAX_BYTES = 32;

    private final ManagedKeyset keyset;
    private final String entityType;
    private final String fieldName;
    private Normalizer normalizer = Normalizer.identity();
    private int bytes = MAX_BYTES;

    private Builder(ManagedKeyset keyset, String entityType, String fieldName) {
      this.keyset = Objects.requireNonNull(keyset, "keyset");
      if (keyset.purpose() != KeyPurpose.BLIND_INDEX) {
        throw new IllegalArgumentException("a BlindIndex needs a blind-index keyset, not " + keyset.purpose());
      }
      // FieldContext checks the names the same way as for encrypted fields.
      FieldContext.of(entityType, "-", fieldName);
      this.entityType = entityType;
      this.fieldName = fieldName;
    }

    /**
     * How values are normalized before hashing (default: {@link Normalizer#identity()}).
     *
     * @param normalizer the normalizer; fixed for the life of the index, not null
     * @return this builder
     * @throws NullPointerException if {@code normalizer} is null
     */
    public Builder normalizer(Normalizer normalizer) {
      this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
      return this;
    }

    /**
     * Keeps only the first {@code bytes} bytes of each token (default 32, the full output). Fewer bytes mean more
     * false positives and less certainty for someone counting equal tokens; see the class comment. Tokens of another
     * length never match, so fix it when the index is created.
     *
     * @param bytes how many bytes of the HMAC output to keep
     * @return this builder
     * @throws IllegalArgumentException unless 1 &lt;= bytes &lt;= 32
     */
    public Builder truncateTo(int bytes) {
      if (bytes < 1 || bytes > MAX_BYTES) {
        throw new IllegalArgumentException("a blind index keeps 1 to 32 bytes");
      }
      this.bytes = bytes;
      return this;
    }

    /**
     * Builds the index.
     *
     * @return a new index over the keyset, following its rotations
     */
    public BlindIndex build() {
      return new PrfBlindIndex(keyset, entityType, fieldName, normalizer, bytes);
    }
  }
}
