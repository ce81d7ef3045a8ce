package dev.safeguards.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.KeyedSignature;
import dev.safeguards.identity.UserId;
import dev.safeguards.integrity.IntegrityException.Reason;
import dev.safeguards.integrity.internal.JsonCanonicalizer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The signature of one version of a record by its author, in the stored form {@value #TYPE} (docs/integrity.md):
 * an RFC 8785 canonical JSON object naming the algorithm, key, author, record, version, time, the hash of the previous
 * version's signature, and the signature itself. It holds no content and no digest of the content.
 *
 * <p>Store {@link #encoded()} beside the record (a text column); read it back with {@link #parse}.
 */
public final class RecordSignature {

  /** The {@code typ} of this format. */
  public static final String TYPE = "safeguards-record-signature/v1";

  private static final Set<String> MEMBERS =
      Set.of("alg", "author", "kid", "prev", "record", "sig", "signedAt", "typ", "version");

  private final String algorithm;
  private final KeyId keyId;
  private final UserId author;
  private final RecordRef record;
  private final long version;
  private final Instant signedAt;
  private final Optional<String> previous;
  private final byte[] signature;

  RecordSignature(String algorithm, KeyId keyId, UserId author, RecordRef record, long version, Instant signedAt,
      Optional<String> previous, byte[] signature) {
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.author = author;
    this.record = record;
    this.version = version;
    this.signedAt = signedAt;
    this.previous = previous;
    this.signature = signature.clone();
  }

  /**
   * Reads a stored signature. Nothing is verified here: {@link RecordVerifier} does that.
   *
   * @param encoded the stored form, as {@link #encoded()} gave it; not null
   * @return the signature, with the members it names
   * @throws NullPointerException if {@code encoded} is null
   * @throws IntegrityException ({@code MALFORMED}) if it is not a valid record signature
   */
  public static RecordSignature parse(String encoded) throws IntegrityException {
    Objects.requireNonNull(encoded, "encoded");
    try {
      JsonNode root = JsonCanonicalizer.parseStrict(encoded.getBytes(StandardCharsets.UTF_8));
      requireMembers(root, MEMBERS);
      if (!TYPE.equals(text(root, "typ"))) {
        throw new IllegalArgumentException("not a " + TYPE);
      }
      JsonNode record = root.get("record");
      requireMembers(record, Set.of("type", "id"));
      JsonNode version = root.get("version");
      if (!version.canConvertToLong() || !version.isIntegralNumber() || version.longValue() < 1) {
        throw new IllegalArgumentException("the version must be a positive integer");
      }
      JsonNode prev = root.get("prev");
      Optional<String> previous = prev.isNull() ? Optional.empty() : Optional.of(hash(prev.textValue()));
      if (version.longValue() == 1 && previous.isPresent() || version.longValue() > 1 && previous.isEmpty()) {
        throw new IllegalArgumentException("only version 1 has no previous version");
      }
      return new RecordSignature(text(root, "alg"), KeyId.parse(text(root, "kid")), UserId.parse(text(root, "author")),
          RecordRef.of(text(record, "type"), text(record, "id")), version.longValue(),
          Instant.parse(text(root, "signedAt")), previous, Base64.getUrlDecoder().decode(text(root, "sig")));
    } catch (DateTimeParseException e) {
      throw new IntegrityException(Reason.MALFORMED, "the record signature is malformed (signedAt is not an instant)");
    } catch (IllegalArgumentException e) {
      throw new IntegrityException(Reason.MALFORMED, "the record signature is malformed (" + e.getMessage() + ")");
    }
  }

  /**
   * The stored form: canonical JSON, one line.
   *
   * @return RFC 8785 JSON with the members {@code alg}, {@code author}, {@code kid}, {@code prev}, {@code record}
   *     ({@code id}, {@code type}), {@code sig}, {@code signedAt}, {@code typ} and {@code version}; no content and no
   *     digest of it
   */
  public String encoded() {
    ObjectNode node = envelope(Optional.empty());
    node.put("sig", Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
    return new String(JsonCanonicalizer.canonicalize(node), StandardCharsets.UTF_8);
  }

  /** The bytes that are signed: the envelope with the content's digest and without the signature. */
  static byte[] signingInput(String algorithm, KeyId keyId, UserId author, RecordRef record, long version,
      Instant signedAt, Optional<String> previous, byte[] contentDigest) {
    RecordSignature unsigned = new RecordSignature(algorithm, keyId, author, record, version, signedAt, previous,
        new byte[0]);
    return JsonCanonicalizer.canonicalize(unsigned.envelope(Optional.of(contentDigest)));
  }

  byte[] signingInput(byte[] contentDigest) {
    return signingInput(algorithm, keyId, author, record, version, signedAt, previous, contentDigest);
  }

  private ObjectNode envelope(Optional<byte[]> contentDigest) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("alg", algorithm);
    node.put("author", author.toString());
    node.put("kid", keyId.toString());
    if (previous.isPresent()) {
      node.put("prev", previous.get());
    } else {
      node.putNull("prev");
    }
    ObjectNode r = node.putObject("record");
    contentDigest.ifPresent(d -> r.put("digest", Base64.getUrlEncoder().withoutPadding().encodeToString(d)));
    r.put("id", record.id());
    r.put("type", record.type());
    node.put("signedAt", DateTimeFormatter.ISO_INSTANT.format(signedAt));
    node.put("typ", TYPE);
    node.put("version", version);
    return node;
  }

  /** The link a next version carries: unpadded base64url SHA-256 of this signature's {@link #encoded()} form. */
  String chainHash() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(encoded().getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  KeyedSignature keyedSignature() {
    return new KeyedSignature(keyId, signature);
  }

  /**
   * The algorithm: {@code Ed25519}, {@code ES256} or {@code HS256}.
   *
   * @return the algorithm the signature names; a parsed signature may name any other, which verification refuses
   */
  public String algorithm() {
    return algorithm;
  }

  /**
   * The key that signed.
   *
   * @return the key id the signature names
   */
  public KeyId keyId() {
    return keyId;
  }

  /**
   * The author the signature names (verified only by {@link RecordVerifier}).
   *
   * @return the author's user id, as the signature states it
   */
  public UserId author() {
    return author;
  }

  /**
   * The record the signature names.
   *
   * @return its type and id
   */
  public RecordRef record() {
    return record;
  }

  /**
   * The version the signature names, from 1.
   *
   * @return the version number, 1 or more
   */
  public long version() {
    return version;
  }

  /**
   * When it says it was signed.
   *
   * @return the signing time the signature states, to the millisecond when {@link RecordSigner} made it
   */
  public Instant signedAt() {
    return signedAt;
  }

  /**
   * The hash of the previous version's signature; empty for version 1.
   *
   * @return unpadded base64url SHA-256 of the previous version's {@link #encoded()} form; empty exactly for version 1
   */
  public Optional<String> previous() {
    return previous;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordSignature s && encoded().equals(s.encoded());
  }

  @Override
  public int hashCode() {
    return encoded().hashCode();
  }

  @Override
  public String toString() {
    return "RecordSignature[" + record + " v" + version + " by " + author + ", key " + keyId + "]";
  }

  private static void requireMembers(JsonNode node, Set<String> members) {
    if (node == null || !node.isObject() || node.size() != members.size()) {
      throw new IllegalArgumentException("expected exactly the members " + new java.util.TreeSet<>(members));
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      if (!members.contains(it.next())) {
        throw new IllegalArgumentException("expected exactly the members " + new java.util.TreeSet<>(members));
      }
    }
  }

  private static String text(JsonNode node, String member) {
    JsonNode v = node.get(member);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("\"" + member + "\" must be a string");
    }
    return v.textValue();
  }

  private static String hash(String value) {
    if (value == null || value.length() != 43 || Base64.getUrlDecoder().decode(value).length != 32) {
      throw new IllegalArgumentException("\"prev\" must be an unpadded base64url SHA-256");
    }
    return value;
  }
}
