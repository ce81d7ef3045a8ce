package dev.safeguards.crypto;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keyset file format {@value ManagedKeyset#FORMAT} (docs/encryption.md): a JSON object with the key metadata in
 * the clear and the Tink keyset sealed under the KEK, with the metadata's canonical text as associated data.
 */
final class KeysetFiles {

  /** A keyset file is a few KiB; anything much larger is not one. */
  private static final int MAX_FILE_BYTES = 1 << 20;

  private static final Set<String> TOP_FIELDS = Set.of("format", "purpose", "keys", "encryptedKeyset");
  private static final Set<String> KEY_FIELDS = Set.of("id", "type", "status", "primary", "createdAt");

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private static final SecureRandom RANDOM = new SecureRandom();

  private KeysetFiles() {}

  /** The decrypted, cross-checked content of a keyset file. */
  record Parsed(KeysetHandle handle, List<KeyInfo> keys) {}

  static int randomKeyId() {
    return RANDOM.nextInt();
  }

  static KeyStatus fromTink(com.google.crypto.tink.KeyStatus status) {
    if (status == com.google.crypto.tink.KeyStatus.ENABLED) {
      return KeyStatus.ENABLED;
    }
    if (status == com.google.crypto.tink.KeyStatus.DISABLED) {
      return KeyStatus.DISABLED;
    }
    return KeyStatus.DESTROYED;
  }

  static byte[] serialize(KeysetHandle handle, List<KeyInfo> keys, KeyPurpose purpose, KeyEncryptionKey kek, Path file)
      throws KeysetFileException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", ManagedKeyset.FORMAT);
    root.put("purpose", purpose.fileName());
    ArrayNode array = root.putArray("keys");
    List<String[]> metadata = new ArrayList<>();
    for (KeyInfo k : keys) {
      String[] fields = {
          k.keyId().toString(), k.keyType(), k.status().fileName(), Boolean.toString(k.primary()),
          DateTimeFormatter.ISO_INSTANT.format(k.createdAt())};
      metadata.add(fields);
      ObjectNode node = array.addObject();
      node.put("id", fields[0]);
      node.put("type", fields[1]);
      node.put("status", fields[2]);
      node.put("primary", k.primary());
      node.put("createdAt", fields[4]);
    }
    try {
      byte[] sealed = TinkProtoKeysetFormat.serializeEncryptedKeyset(
          handle, kek.aead(), associatedData(purpose.fileName(), metadata), TinkRuntime.config());
      root.put("encryptedKeyset", Base64.getEncoder().encodeToString(sealed));
      return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new KeysetFileException("cannot seal keyset " + file + " with " + kek, e);
    } catch (JsonProcessingException e) {
      throw new KeysetFileException("cannot write keyset JSON " + file, e);
    }
  }

  /**
   * Reads a keyset file: checks its JSON against the format, opens the sealed keyset with {@code kek} (the metadata
   * as associated data) and checks that the metadata describes exactly the keys inside.
   *
   * @param file the file's path, for messages only
   * @throws KeysetFileException if the bytes are not a keyset file of this format and of purpose {@code expected},
   *     were not sealed under {@code kek}, or were modified; never any other exception, whatever the bytes
   */
  static Parsed parse(byte[] bytes, Path file, KeyPurpose expected, KeyEncryptionKey kek) throws KeysetFileException {
    if (bytes.length > MAX_FILE_BYTES) {
      throw malformed(file, "larger than 1 MiB");
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (java.io.IOException e) {
      throw malformed(file, "not valid JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw malformed(file, "empty");
    }
    if (!root.isObject()) {
      throw malformed(file, "not a JSON object");
    }
    requireExactFields(root, TOP_FIELDS, file, "the keyset");
    if (!ManagedKeyset.FORMAT.equals(text(root, "format", file))) {
      throw malformed(file, "unsupported format (expected " + ManagedKeyset.FORMAT + ")");
    }
    String purposeName = text(root, "purpose", file);
    if (!expected.fileName().equals(purposeName)) {
      throw new KeysetFileException("keyset file " + file + " holds keys for another purpose (expected "
          + expected.fileName() + ")");
    }
    JsonNode keysNode = root.get("keys");
    if (!keysNode.isArray() || keysNode.isEmpty()) {
      throw malformed(file, "\"keys\" must be a non-empty array");
    }
    List<String[]> metadata = new ArrayList<>();
    List<KeyInfo> keys = new ArrayList<>();
    Map<Integer, KeyInfo> byId = new HashMap<>();
    int primaries = 0;
    for (JsonNode node : keysNode) {
      if (!node.isObject()) {
        throw malformed(file, "every key must be a JSON object");
      }
      requireExactFields(node, KEY_FIELDS, file, "a key");
      JsonNode primaryNode = node.get("primary");
      if (!primaryNode.isBoolean()) {
        throw malformed(file, "\"primary\" must be true or false");
      }
      String[] fields = {
          text(node, "id", file), text(node, "type", file), text(node, "status", file),
          Boolean.toString(primaryNode.booleanValue()), text(node, "createdAt", file)};
      KeyInfo info;
      try {
        info = new KeyInfo(KeyId.parse(fields[0]), expected, fields[1], KeyStatus.fromFileName(fields[2]),
            primaryNode.booleanValue(), Instant.parse(fields[4]));
      } catch (IllegalArgumentException e) {
        throw malformed(file, "a key entry is invalid: " + e.getMessage());
      } catch (DateTimeParseException e) {
        throw malformed(file, "a key entry's createdAt is not an instant"); // the JDK's message quotes the text
      }
      // One written form (docs/encryption.md): lower-case hex ids, times as ISO_INSTANT writes them.
      if (!info.keyId().toString().equals(fields[0])
          || !DateTimeFormatter.ISO_INSTANT.format(info.createdAt()).equals(fields[4])) {
        throw malformed(file, "a key entry is not in the written form (lower-case hex id, ISO_INSTANT time)");
      }
      if (!expected.keyType().equals(info.keyType())) {
        throw malformed(file, "key " + info.keyId() + " has type " + info.keyType() + ", expected "
            + expected.keyType());
      }
      if (byId.put(info.keyId().value(), info) != null) {
        throw malformed(file, "key id " + info.keyId() + " appears twice");
      }
      primaries += info.primary() ? 1 : 0;
      metadata.add(fields);
      keys.add(info);
    }
    if (primaries != 1) {
      throw malformed(file, "exactly one key must be primary");
    }
    byte[] sealed;
    try {
      sealed = Base64.getDecoder().decode(text(root, "encryptedKeyset", file));
    } catch (IllegalArgumentException e) {
      throw malformed(file, "\"encryptedKeyset\" is not valid base64");
    }
    KeysetHandle handle;
    try {
      handle = TinkProtoKeysetFormat.parseEncryptedKeyset(
          sealed, kek.aead(), associatedData(purposeName, metadata), TinkRuntime.config());
    } catch (GeneralSecurityException e) {
      throw new KeysetFileException("cannot open keyset file " + file + " with " + kek
          + ": the key-encryption key is wrong, or the file was modified");
    }
    crossCheck(handle, byId, expected, file);
    return new Parsed(handle, keys);
  }

  /** The metadata must describe exactly the keys inside the sealed keyset. */
  private static void crossCheck(KeysetHandle handle, Map<Integer, KeyInfo> byId, KeyPurpose purpose, Path file)
      throws KeysetFileException {
    int live = 0;
    for (KeyInfo k : byId.values()) {
      live += k.status() == KeyStatus.DESTROYED ? 0 : 1;
    }
    if (handle.size() != live) {
      throw malformed(file, "the key list does not match the sealed keyset");
    }
    for (int i = 0; i < handle.size(); i++) {
      KeysetHandle.Entry e = handle.getAt(i);
      KeyInfo k = byId.get(e.getId());
      if (k == null || k.status() != fromTink(e.getStatus()) || k.primary() != e.isPrimary()) {
        throw malformed(file, "the key list does not match the sealed keyset");
      }
      if (!TinkRuntime.parameters(purpose).equals(e.getKey().getParameters())) {
        throw malformed(file, "key " + k.keyId() + " does not have the parameters of " + purpose.keyType());
      }
    }
  }

  /**
   * The canonical text of the metadata, bound to the sealed keyset as associated data: the format line, the purpose
   * line, then one line per key with its five fields separated by single spaces, each line ending in LF.
   */
  static byte[] associatedData(String purpose, List<String[]> keys) {
    StringBuilder sb = new StringBuilder(ManagedKeyset.FORMAT).append('\n');
    sb.append("purpose ").append(purpose).append('\n');
    for (String[] k : keys) {
      sb.append("key ").append(String.join(" ", k)).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void requireExactFields(JsonNode node, Set<String> fields, Path file, String what)
      throws KeysetFileException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!fields.contains(name)) {
        throw malformed(file, what + " has an unknown field");
      }
    }
    for (String name : fields) {
      if (!node.has(name)) {
        throw malformed(file, what + " lacks the field \"" + name + "\"");
      }
    }
  }

  private static String text(JsonNode node, String field, Path file) throws KeysetFileException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw malformed(file, "\"" + field + "\" must be a string");
    }
    String s = value.textValue();
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i)) || Character.isISOControl(s.charAt(i))) {
        throw malformed(file, "\"" + field + "\" contains white space");
      }
    }
    return s;
  }

  private static KeysetFileException malformed(Path file, String why) {
    return new KeysetFileException("malformed keyset file " + file + ": " + why);
  }
}
