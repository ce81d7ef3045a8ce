package dev.safeguards.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.safeguards.crypto.InvalidSignatureException;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.integrity.IntegrityException.Reason;
import dev.safeguards.integrity.internal.JsonCanonicalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks record signatures made by {@link RecordSigner}: that the content is exactly what its author signed, for this
 * record, and, over a history, that no version was changed, removed, reordered or inserted (164.312(c)(2)).
 *
 * <p>Verification returns who signed which version, or throws an {@link IntegrityException}:
 * {@code SIGNATURE_INVALID} (content edited, or the signature belongs to another record), {@code UNKNOWN_KEY},
 * {@code UNSUPPORTED_ALGORITHM}, {@code POLICY_VIOLATION} (not the version the caller expected: a replayed older
 * version) or {@code CHAIN_BROKEN}. Instances are thread-safe.
 */
public final class RecordVerifier {

  private final SigningKeyset keys;

  private RecordVerifier(SigningKeyset keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /**
   * A verifier over a signing keyset, or over public keys from {@link SigningKeyset#fromPublicJwks}.
   *
   * @param keys the keys whose enabled members may have signed; not null
   * @return the verifier
   * @throws NullPointerException if {@code keys} is null
   */
  public static RecordVerifier create(SigningKeyset keys) {
    return new RecordVerifier(keys);
  }

  /**
   * Verifies one version given as canonical bytes. The version number is not checked against anything: use the
   * overload with {@code expectedVersion} to refuse an older version.
   *
   * @param record the record the caller read the content from; the signature must name this one; not null
   * @param canonicalContent the content as stored, in the form it was signed in; not null
   * @param signature the version's signature, as {@link RecordSignature#parse} read it; not null
   * @return who signed which version of the record, when, and under which key
   * @throws NullPointerException if an argument is null
   * @throws IntegrityException {@code UNSUPPORTED_ALGORITHM} if the signature names another algorithm than the
   *     keyset's; {@code SIGNATURE_INVALID} if it names another record, or the content or a signed member changed, or
   *     another key signed it; {@code UNKNOWN_KEY} if its key is not in the keyset or is disabled
   */
  public VerifiedRecord verify(RecordRef record, byte[] canonicalContent, RecordSignature signature)
      throws IntegrityException {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(canonicalContent, "canonicalContent");
    Objects.requireNonNull(signature, "signature");
    if (!signature.algorithm().equals(keys.algorithm())) {
      throw new IntegrityException(Reason.UNSUPPORTED_ALGORITHM, "the signature of " + record + " uses "
          + SignatureComponent.shorten(signature.algorithm()) + ", not " + keys.algorithm());
    }
    if (!signature.record().equals(record)) {
      throw new IntegrityException(Reason.SIGNATURE_INVALID, "the signature presented for " + record
          + " belongs to another record");
    }
    try {
      keys.verify(signature.signingInput(RecordSigner.sha256(canonicalContent)), signature.keyedSignature());
    } catch (InvalidSignatureException e) {
      throw new IntegrityException(e.keyUnknown() ? Reason.UNKNOWN_KEY : Reason.SIGNATURE_INVALID,
          e.keyUnknown() ? "the signature of " + record + " v" + signature.version() + " was made by key "
              + signature.keyId() + ", which is unknown or disabled"
              : "the content of " + record + " v" + signature.version()
                  + " is not what its author signed (changed, or signed by another key)");
    }
    return new VerifiedRecord(record, signature.version(), signature.author(), signature.signedAt(),
        signature.keyId());
  }

  /**
   * Verifies one version and that it is the version the caller expects (the latest it knows), so that an older,
   * validly signed version cannot be replayed in its place.
   *
   * @param record the record the caller read the content from; the signature must name this one; not null
   * @param canonicalContent the content as stored, in the form it was signed in; not null
   * @param signature the version's signature, as {@link RecordSignature#parse} read it; not null
   * @param expectedVersion the version the caller knows to be the latest
   * @return who signed which version of the record, when, and under which key
   * @throws NullPointerException if an argument is null
   * @throws IntegrityException {@code POLICY_VIOLATION} if the signature is valid but for another version; otherwise
   *     as {@link #verify(RecordRef, byte[], RecordSignature)}
   */
  public VerifiedRecord verify(RecordRef record, byte[] canonicalContent, RecordSignature signature,
      long expectedVersion) throws IntegrityException {
    VerifiedRecord verified = verify(record, canonicalContent, signature);
    if (verified.version() != expectedVersion) {
      throw new IntegrityException(Reason.POLICY_VIOLATION, "the signature of " + record + " is for version "
          + verified.version() + ", not the expected version " + expectedVersion);
    }
    return verified;
  }

  /**
   * Verifies one version of a JSON record (canonicalized with RFC 8785).
   *
   * @param record the record the caller read the content from; the signature must name this one; not null
   * @param content the record as JSON; member order and white space do not matter; not null
   * @param signature the version's signature; not null
   * @return who signed which version of the record, when, and under which key
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the content cannot be canonicalized (a lone surrogate, a number that is not
   *     finite)
   * @throws IntegrityException as {@link #verify(RecordRef, byte[], RecordSignature)}
   */
  public VerifiedRecord verifyJson(RecordRef record, JsonNode content, RecordSignature signature)
      throws IntegrityException {
    return verify(record, JsonCanonicalizer.canonicalize(content), signature);
  }

  /**
   * Verifies one version of a JSON record and that it is the expected version.
   *
   * @param record the record the caller read the content from; the signature must name this one; not null
   * @param content the record as JSON; member order and white space do not matter; not null
   * @param signature the version's signature; not null
   * @param expectedVersion the version the caller knows to be the latest
   * @return who signed which version of the record, when, and under which key
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the content cannot be canonicalized (a lone surrogate, a number that is not
   *     finite)
   * @throws IntegrityException as {@link #verify(RecordRef, byte[], RecordSignature, long)}
   */
  public VerifiedRecord verifyJson(RecordRef record, JsonNode content, RecordSignature signature, long expectedVersion)
      throws IntegrityException {
    return verify(record, JsonCanonicalizer.canonicalize(content), signature, expectedVersion);
  }

  /**
   * Verifies a whole history, oldest first: versions 1, 2, ... with no gap, each signature valid, each chained to the
   * one before.
   *
   * @param record the record the history belongs to; every signature must name it
   * @param history the versions, oldest first; not null, none null
   * @return the verified versions in order, so their authors in order
   * @throws IntegrityException ({@code CHAIN_BROKEN}) if the history is empty, reordered, has a gap or a rewritten
   *     version; or the reason a single version fails
   */
  public List<VerifiedRecord> verifyHistory(RecordRef record, List<RecordVersion> history) throws IntegrityException {
    if (history.isEmpty()) {
      throw new IntegrityException(Reason.CHAIN_BROKEN, "the history of " + record + " is empty");
    }
    List<VerifiedRecord> verified = new ArrayList<>();
    RecordSignature previous = null;
    for (RecordVersion v : history) {
      RecordSignature s = v.signature();
      long expected = verified.size() + 1L;
      if (s.version() != expected) {
        throw new IntegrityException(Reason.CHAIN_BROKEN, "the history of " + record + " has version " + s.version()
            + " where version " + expected + " belongs");
      }
      if (previous != null && !s.previous().orElse("").equals(previous.chainHash())) {
        throw new IntegrityException(Reason.CHAIN_BROKEN, "version " + expected + " of " + record
            + " does not follow the version before it: the history was rewritten");
      }
      verified.add(verify(record, v.content(), s));
      previous = s;
    }
    return List.copyOf(verified);
  }

  /**
   * Verifies a whole history and that it ends at {@code expectedLatestVersion}, so that dropping the newest versions
   * is detected too.
   *
   * @param record the record the history belongs to; every signature must name it
   * @param history the versions, oldest first; not null, none null
   * @param expectedLatestVersion the latest version the caller knows of
   * @return the verified versions in order, so their authors in order
   * @throws IntegrityException ({@code CHAIN_BROKEN}) if the history does not end at {@code expectedLatestVersion};
   *     otherwise as {@link #verifyHistory(RecordRef, List)}
   */
  public List<VerifiedRecord> verifyHistory(RecordRef record, List<RecordVersion> history, long expectedLatestVersion)
      throws IntegrityException {
    List<VerifiedRecord> verified = verifyHistory(record, history);
    if (verified.size() != expectedLatestVersion) {
      throw new IntegrityException(Reason.CHAIN_BROKEN, "the history of " + record + " ends at version "
          + verified.size() + ", not at the expected version " + expectedLatestVersion + ": it was truncated");
    }
    return verified;
  }
}
