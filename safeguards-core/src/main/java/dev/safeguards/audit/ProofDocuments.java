package dev.safeguards.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.integrity.internal.JsonCanonicalizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The JSON form the proof documents share: a {@code format} member, proof hashes in base64, text members. */
final class ProofDocuments {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ProofDocuments() {}

  /** A new document of {@code format}. */
  static ObjectNode start(String format) {
    return JSON.createObjectNode().put("format", format);
  }

  /** Puts {@code hashes} as an array of base64 strings under {@code name}. */
  static void putHashes(ObjectNode doc, String name, List<byte[]> hashes) {
    ArrayNode array = doc.putArray(name);
    hashes.forEach(h -> array.add(Base64.getEncoder().encodeToString(h)));
  }

  static String write(ObjectNode doc) {
    try {
      return JSON.writeValueAsString(doc);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a proof document could not be written", e);
    }
  }

  /**
   * The document in {@code json}, if it is one of {@code format}, at most {@code maxChars} long.
   *
   * @throws IllegalArgumentException otherwise
   */
  static JsonNode read(String json, String format, int maxChars) {
    if (json.length() > maxChars) {
      throw new IllegalArgumentException("a " + format + " document is at most " + maxChars + " characters");
    }
    JsonNode doc;
    try {
      doc = JsonCanonicalizer.parseStrict(json.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the proof document is not JSON");
    }
    if (!doc.isObject() || !format.equals(text(doc, "format"))) {
      throw new IllegalArgumentException("the document is not a " + format + " proof");
    }
    return doc;
  }

  /**
   * The hashes under {@code name}: at most {@code max} base64 strings (their lengths are checked by the proof).
   *
   * @throws IllegalArgumentException if missing or malformed
   */
  static List<byte[]> hashes(JsonNode doc, String name, int max) {
    JsonNode hashes = doc.get(name);
    if (hashes == null || !hashes.isArray() || hashes.size() > max) {
      throw new IllegalArgumentException("the proof document's " + name + " is missing or malformed");
    }
    List<byte[]> out = new ArrayList<>();
    for (JsonNode h : hashes) {
      try {
        out.add(Base64.getDecoder().decode(h.asText()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a proof hash is not base64");
      }
    }
    return out;
  }

  /**
   * The text member {@code name}.
   *
   * @throws IllegalArgumentException if missing or not text
   */
  static String text(JsonNode doc, String name) {
    JsonNode n = doc.get(name);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException("the proof document has no " + name);
    }
    return n.asText();
  }
}
