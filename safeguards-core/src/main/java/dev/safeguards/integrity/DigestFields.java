package dev.safeguards.integrity;

import dev.safeguards.integrity.internal.StructuredFields;
import dev.safeguards.integrity.internal.StructuredFields.Item;
import dev.safeguards.integrity.internal.StructuredFields.Member;
import dev.safeguards.integrity.internal.StructuredFields.SfBytes;
import dev.safeguards.integrity.internal.StructuredFields.SfInteger;
import dev.safeguards.integrity.internal.StructuredFields.StructuredFieldException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * RFC 9530 Digest Fields: computing and checking {@code Content-Digest} and {@code Repr-Digest}, and asking for them
 * with {@code Want-Content-Digest} (164.312(e)(2)(i) transmission integrity).
 *
 * <p>Guarantees when parsing a digest field:
 * <ul>
 *   <li>The field is parsed as a strict RFC 8941 Dictionary; every member must be a Byte Sequence, and a sha-256 or
 *       sha-512 value must have exactly the algorithm's length. Anything else is {@code MALFORMED}.
 *   <li>Only sha-256 and sha-512 are accepted. When several digests are present, the strongest accepted one is the one
 *       checked; others are ignored, as RFC 9530 allows. A field offering only insecure algorithms (md5, sha, unixsum,
 *       unixcksum, adler, crc32c) or unknown ones is refused with {@code UNSUPPORTED_ALGORITHM}, naming them.
 *   <li>Comparison is in constant time.
 * </ul>
 */
public final class DigestFields {

  /** The field carrying the digest of the message content. */
  public static final String CONTENT_DIGEST = "Content-Digest";
  /** The field carrying the digest of the selected representation. */
  public static final String REPR_DIGEST = "Repr-Digest";
  /** The field asking the peer for a {@code Content-Digest}. */
  public static final String WANT_CONTENT_DIGEST = "Want-Content-Digest";
  /** The field asking the peer for a {@code Repr-Digest}. */
  public static final String WANT_REPR_DIGEST = "Want-Repr-Digest";

  private DigestFields() {}

  /**
   * Returns a calculator that computes the given algorithms over content fed in pieces.
   *
   * @param algorithms the algorithms to compute; at least one, none null; a repeated one is computed once
   * @return a new calculator
   * @throws NullPointerException if an algorithm is null
   * @throws IllegalArgumentException if no algorithm is named
   */
  public static DigestCalculator calculator(DigestAlgorithm... algorithms) {
    return new DigestCalculator(algorithms);
  }

  /**
   * The field value for content held in memory, e.g. {@code sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:}.
   *
   * @param content the whole content; not null
   * @param algorithms the algorithms to compute; at least one, none null
   * @return the {@code Content-Digest} or {@code Repr-Digest} value, strongest algorithm first
   * @throws NullPointerException if {@code content} or an algorithm is null
   * @throws IllegalArgumentException if no algorithm is named
   */
  public static String fieldValue(byte[] content, DigestAlgorithm... algorithms) {
    return calculator(algorithms).update(content).fieldValue();
  }

  /**
   * A {@code Want-Content-Digest} (or {@code Want-Repr-Digest}) value listing {@code algorithms} from most to least
   * preferred, weighted 10, 9, ...; every other algorithm is simply not listed.
   *
   * @param algorithms the algorithms, most preferred first; at least one, none null; a repeat is listed once
   * @return the field value, e.g. {@code sha-512=10, sha-256=9}
   * @throws NullPointerException if an algorithm is null
   * @throws IllegalArgumentException if no algorithm is named
   */
  public static String wantFieldValue(DigestAlgorithm... algorithms) {
    if (algorithms.length == 0) {
      throw new IllegalArgumentException("name at least one digest algorithm");
    }
    Map<String, Member> members = new LinkedHashMap<>();
    int weight = 10;
    for (DigestAlgorithm a : algorithms) {
      if (members.putIfAbsent(a.key(), Item.of(new SfInteger(weight))) == null) {
        weight--;
      }
    }
    return StructuredFields.serializeDictionary(members);
  }

  /**
   * Parses a {@code Content-Digest} or {@code Repr-Digest} field (all its field lines) and selects the strongest
   * accepted digest.
   *
   * @param fieldName the field's name, for messages
   * @param fieldLines the field's lines, as {@link dev.safeguards.http.HttpMessageView#fieldValues} returns them
   * @return the digest to check the content against, of the strongest accepted algorithm offered
   * @throws NullPointerException if an argument is null
   * @throws IntegrityException {@code MISSING} if absent, {@code MALFORMED} if not a valid digest dictionary,
   *     {@code UNSUPPORTED_ALGORITHM} if no accepted algorithm is offered
   */
  public static ExpectedDigest parse(String fieldName, List<String> fieldLines) throws IntegrityException {
    Objects.requireNonNull(fieldName, "fieldName");
    if (fieldLines.isEmpty()) {
      throw new IntegrityException(IntegrityException.Reason.MISSING, "the " + fieldName + " field is absent");
    }
    Map<String, Member> members;
    try {
      members = StructuredFields.parseDictionary(fieldLines);
    } catch (StructuredFieldException e) {
      throw new IntegrityException(IntegrityException.Reason.MALFORMED,
          "the " + fieldName + " field is not a valid structured dictionary (" + e.getMessage() + ")");
    }
    if (members.isEmpty()) {
      throw new IntegrityException(IntegrityException.Reason.MISSING, "the " + fieldName + " field is empty");
    }
    Optional<ExpectedDigest> strongest = Optional.empty();
    List<String> refused = new ArrayList<>();
    for (Map.Entry<String, Member> e : members.entrySet()) {
      if (!(e.getValue() instanceof Item item) || !(item.value() instanceof SfBytes bytes)) {
        throw new IntegrityException(IntegrityException.Reason.MALFORMED,
            "the " + fieldName + " value for " + shortKey(e.getKey()) + " is not a byte sequence");
      }
      Optional<DigestAlgorithm> algorithm = DigestAlgorithm.forKey(e.getKey());
      if (algorithm.isEmpty()) {
        refused.add(shortKey(e.getKey()) + (DigestAlgorithm.INSECURE.contains(e.getKey()) ? " (insecure)" : " (unknown)"));
        continue;
      }
      byte[] value = bytes.value();
      if (value.length != algorithm.get().length()) {
        throw new IntegrityException(IntegrityException.Reason.MALFORMED, "the " + fieldName + " "
            + algorithm.get().key() + " value has " + value.length + " bytes, not " + algorithm.get().length());
      }
      if (strongest.isEmpty() || algorithm.get().ordinal() < strongest.get().algorithm().ordinal()) {
        strongest = Optional.of(new ExpectedDigest(fieldName, algorithm.get(), value));
      }
    }
    return strongest.orElseThrow(() -> new IntegrityException(IntegrityException.Reason.UNSUPPORTED_ALGORITHM,
        "the " + fieldName + " field offers no accepted algorithm (sha-512 or sha-256): "
            + String.join(", ", refused.subList(0, Math.min(refused.size(), 5)))));
  }

  /**
   * The accepted algorithm a {@code Want-Content-Digest} or {@code Want-Repr-Digest} field prefers: the one with the
   * highest weight above 0 (ties go to the stronger); empty if the field is absent or names none we accept.
   *
   * @param fieldLines the field's lines, as {@link dev.safeguards.http.HttpMessageView#fieldValues} returns them;
   *     empty when the field is absent, not null
   * @return the preferred algorithm; empty if none is acceptable
   * @throws NullPointerException if {@code fieldLines} is null
   * @throws IntegrityException {@code MALFORMED} if the field is not a dictionary of integers from 0 to 10
   */
  public static Optional<DigestAlgorithm> preferredAlgorithm(List<String> fieldLines) throws IntegrityException {
    if (fieldLines.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Member> members;
    try {
      members = StructuredFields.parseDictionary(fieldLines);
    } catch (StructuredFieldException e) {
      throw new IntegrityException(IntegrityException.Reason.MALFORMED, "the Want- field is not a dictionary");
    }
    DigestAlgorithm best = null;
    long bestWeight = 0;
    for (Map.Entry<String, Member> e : members.entrySet()) {
      if (!(e.getValue() instanceof Item item) || !(item.value() instanceof SfInteger weight)
          || weight.value() < 0 || weight.value() > 10) {
        throw new IntegrityException(IntegrityException.Reason.MALFORMED, "a Want- weight is not an integer 0-10");
      }
      Optional<DigestAlgorithm> algorithm = DigestAlgorithm.forKey(e.getKey());
      if (algorithm.isPresent() && weight.value() > 0 && (weight.value() > bestWeight
          || weight.value() == bestWeight && algorithm.get().ordinal() < best.ordinal())) {
        best = algorithm.get();
        bestWeight = weight.value();
      }
    }
    return Optional.ofNullable(best);
  }

  private static String shortKey(String key) {
    return key.length() <= 20 ? key : key.substring(0, 20) + "...";
  }
}
