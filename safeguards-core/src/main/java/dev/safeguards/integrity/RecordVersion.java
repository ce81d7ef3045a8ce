package dev.safeguards.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.safeguards.integrity.internal.JsonCanonicalizer;
import java.util.Objects;

/** One version of a record in a history: its canonical content and its signature. The bytes are copied. */
public final class RecordVersion {

  private final byte[] content;
  private final RecordSignature signature;

  private RecordVersion(byte[] content, RecordSignature signature) {
    this.content = content.clone();
    this.signature = Objects.requireNonNull(signature, "signature");
  }

  /**
   * A version whose content is given as its canonical bytes.
   *
   * @param canonicalContent the bytes that were signed; copied, not null
   * @param signature the version's signature; not null
   * @return the version
   * @throws NullPointerException if an argument is null
   */
  public static RecordVersion of(byte[] canonicalContent, RecordSignature signature) {
    return new RecordVersion(Objects.requireNonNull(canonicalContent, "canonicalContent"), signature);
  }

  /**
   * A JSON version; its content is canonicalized with RFC 8785.
   *
   * @param content the record as JSON; not null
   * @param signature the version's signature; not null
   * @return the version
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the content cannot be canonicalized (a lone surrogate, a number that is not
   *     finite)
   */
  public static RecordVersion ofJson(JsonNode content, RecordSignature signature) {
    return new RecordVersion(JsonCanonicalizer.canonicalize(content), signature);
  }

  byte[] content() {
    return content;
  }

  /**
   * The version's signature.
   *
   * @return the signature given when the version was made
   */
  public RecordSignature signature() {
    return signature;
  }
}
