package dev.safeguards.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.safeguards.crypto.KeyedSignature;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.UserId;
import dev.safeguards.integrity.internal.JsonCanonicalizer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Signs versions of records in the name of their author, so that ePHI cannot be altered or its history rewritten
 * without detection (164.312(c)(2) mechanism to authenticate ePHI).
 *
 * <p>A signature covers the SHA-256 of the record's canonical bytes together with the record's type and id, the
 * author's user id, the version number, the time, and (from version 2 on) the hash of the previous version's
 * signature, forming a chain. JSON records are canonicalized with RFC 8785 first; other records are signed over the
 * bytes the application gives, which must then be canonical for it. The exact format is in docs/integrity.md.
 *
 * <p>Instances are thread-safe and follow the keyset's rotations.
 */
public final class RecordSigner {

  private final SigningKeyset keys;
  private final Clock clock;

  private RecordSigner(SigningKeyset keys, Clock clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A signer using the primary key of {@code keys}, dating signatures with {@code clock}.
   *
   * @param keys a record-signing or record-MAC keyset that can sign; not null
   * @param clock dates signatures, to the millisecond; not null
   * @return the signer
   * @throws NullPointerException if an argument is null
   */
  public static RecordSigner create(SigningKeyset keys, Clock clock) {
    return new RecordSigner(keys, clock);
  }

  /**
   * Signs version 1 of a record given as canonical bytes.
   *
   * @param record the record the signature is bound to; not null
   * @param canonicalContent the record's bytes, in the one form the application always produces for it; not null
   * @param author the user in whose name the version is signed; not null
   * @return the signature of version 1, to store beside the record
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the keyset can only verify, or signing fails
   */
  public RecordSignature sign(RecordRef record, byte[] canonicalContent, UserId author) {
    return sign(record, canonicalContent, author, 1, Optional.empty());
  }

  /**
   * Signs version 1 of a JSON record.
   *
   * @param record the record the signature is bound to; not null
   * @param content the record as JSON, canonicalized with RFC 8785 before it is hashed; not null
   * @param author the user in whose name the version is signed; not null
   * @return the signature of version 1, to store beside the record
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the content cannot be canonicalized (a lone surrogate, a number that is not
   *     finite)
   * @throws IllegalStateException if the keyset can only verify, or signing fails
   */
  public RecordSignature signJson(RecordRef record, JsonNode content, UserId author) {
    return sign(record, JsonCanonicalizer.canonicalize(content), author);
  }

  /**
   * Signs the version after {@code previous}, chaining to it. {@code previous} is not verified here.
   *
   * @param record the record the signature is bound to; not null
   * @param canonicalContent the new version's bytes, in the application's one form; not null
   * @param author the user in whose name the version is signed; not null
   * @param previous the signature of the version before; not null
   * @return the signature of version {@code previous.version() + 1}, carrying the hash of {@code previous}
   * @throws NullPointerException if {@code previous}, the content or the author is null
   * @throws IllegalArgumentException if {@code previous} belongs to another record
   * @throws IllegalStateException if the keyset can only verify, or signing fails
   */
  public RecordSignature signNext(RecordRef record, byte[] canonicalContent, UserId author, RecordSignature previous) {
    if (!previous.record().equals(record)) {
      throw new IllegalArgumentException("the previous signature belongs to another record");
    }
    return sign(record, canonicalContent, author, previous.version() + 1, Optional.of(previous.chainHash()));
  }

  /**
   * Signs the JSON version after {@code previous}, chaining to it. {@code previous} is not verified here.
   *
   * @param record the record the signature is bound to; not null
   * @param content the new version as JSON, canonicalized with RFC 8785 before it is hashed; not null
   * @param author the user in whose name the version is signed; not null
   * @param previous the signature of the version before; not null
   * @return the signature of version {@code previous.version() + 1}, carrying the hash of {@code previous}
   * @throws NullPointerException if {@code previous}, the content or the author is null
   * @throws IllegalArgumentException if {@code previous} belongs to another record, or the content cannot be
   *     canonicalized
   * @throws IllegalStateException if the keyset can only verify, or signing fails
   */
  public RecordSignature signNextJson(RecordRef record, JsonNode content, UserId author, RecordSignature previous) {
    return signNext(record, JsonCanonicalizer.canonicalize(content), author, previous);
  }

  private RecordSignature sign(RecordRef record, byte[] content, UserId author, long version,
      Optional<String> previous) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(author, "author");
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    byte[] digest = sha256(content);
    KeyedSignature signed = keys.signNamingKey(keyId ->
        RecordSignature.signingInput(keys.algorithm(), keyId, author, record, version, now, previous, digest));
    return new RecordSignature(keys.algorithm(), signed.keyId(), author, record, version, now, previous,
        signed.value());
  }

  static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
