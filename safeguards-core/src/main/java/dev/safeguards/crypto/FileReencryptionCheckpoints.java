package dev.safeguards.crypto;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** {@link ReencryptionCheckpoints} in one JSON file ({@value #FORMAT}). */
final class FileReencryptionCheckpoints implements ReencryptionCheckpoints {

  static final String FORMAT = "safeguards-reencryption-checkpoint/v1";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;

  FileReencryptionCheckpoints(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  @Override
  public Optional<ReencryptionCheckpoint> load() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || !FORMAT.equals(root.path("format").asText())) {
        throw new IOException("checkpoint file " + file + " is not a " + FORMAT + " file");
      }
      // Every member must be there with its type: a missing or mistyped one would restart the pass or drop keys.
      JsonNode ids = root.get("retiringKeyIds");
      if (ids == null || !ids.isArray()) {
        throw new IOException("\"retiringKeyIds\" must be an array");
      }
      Set<KeyId> retiring = new HashSet<>();
      for (JsonNode id : ids) {
        retiring.add(KeyId.parse(text(id, "retiringKeyIds")));
      }
      JsonNode position = root.get("lastPosition");
      if (position == null || !(position.isNull() || position.isTextual())) {
        throw new IOException("\"lastPosition\" must be a string or null");
      }
      ReencryptionProgress progress = new ReencryptionProgress(
          count(root, "recordsScanned"), count(root, "valuesReencrypted"), count(root, "valuesAlreadyCurrent"),
          count(root, "valuesChangedConcurrently"), count(root, "valuesFailed"),
          position.isNull() ? Optional.empty() : Optional.of(position.textValue()));
      return Optional.of(new ReencryptionCheckpoint(
          KeyId.parse(text(root.get("targetKeyId"), "targetKeyId")), retiring, progress));
    } catch (IOException e) {
      throw new IOException("checkpoint file " + file + " is malformed", e);
    } catch (RuntimeException e) {
      throw new IOException("checkpoint file " + file + " is malformed: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public void save(ReencryptionCheckpoint checkpoint) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("targetKeyId", checkpoint.targetKeyId().toString());
    ArrayNode retiring = root.putArray("retiringKeyIds");
    checkpoint.retiringKeyIds().stream().map(KeyId::toString).sorted().forEach(retiring::add);
    ReencryptionProgress p = checkpoint.progress();
    root.put("lastPosition", p.lastPosition().orElse(null));
    root.put("recordsScanned", p.recordsScanned());
    root.put("valuesReencrypted", p.valuesReencrypted());
    root.put("valuesAlreadyCurrent", p.valuesAlreadyCurrent());
    root.put("valuesChangedConcurrently", p.valuesChangedConcurrently());
    root.put("valuesFailed", p.valuesFailed());
    AtomicFiles.write(file, JSON.writeValueAsBytes(root), true);
  }

  @Override
  public void clear() throws IOException {
    if (Files.deleteIfExists(file)) {
      AtomicFiles.fsyncDirectory(file.toAbsolutePath().getParent());
    }
  }

  private static long count(JsonNode root, String field) throws IOException {
    JsonNode node = root.get(field);
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new IOException("\"" + field + "\" must be a number");
    }
    return node.longValue();
  }

  private static String text(JsonNode node, String field) throws IOException {
    if (node == null || !node.isTextual()) {
      throw new IOException("\"" + field + "\" must hold strings");
    }
    return node.textValue();
  }

  @Override
  public String toString() {
    return "checkpoint file " + file;
  }
}
