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

  /** A version whose content is given as its canonical bytes. */
  public static RecordVersion of(byte[] canonicalContent, RecordSignature signature) {
    return new RecordVersion(Objects.requireNonNull(canonicalContent, "canonicalContent"), signature);
  }

  /** A JSON version; its content is canonicalized with RFC 8785. */
  public static RecordVersion ofJson(JsonNode content, RecordSignature signature) {
    return new RecordVersion(JsonCanonicalizer.canonicalize(content), signature);
  }

  byte[] content() {
    return content;
  }

  /** The version's signature. */
  public RecordSignature signature() {
    return signature;
  }
}
