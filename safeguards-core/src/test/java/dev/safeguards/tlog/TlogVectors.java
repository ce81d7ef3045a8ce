package dev.safeguards.tlog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The known-answer values of src/test/resources/vectors/c2sp-signed-note-checkpoint-cosignature.txt, whose header names
 * their sources (the C2SP specs, Go's sumdb/note tests, transparency-dev/formats tests, a real checkpoint kept by
 * florolf/tlog-scales). Each section's content is exact, final newline included.
 */
final class TlogVectors {

  private static final Pattern SECTION =
      Pattern.compile("^=== BEGIN (\\S+) ===\n(.*?)^=== END \\1 ===\n", Pattern.MULTILINE | Pattern.DOTALL);
  private static final Map<String, String> SECTIONS = new HashMap<>();

  static {
    try (InputStream in = TlogVectors.class.getResourceAsStream(
        "/vectors/c2sp-signed-note-checkpoint-cosignature.txt")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Matcher m = SECTION.matcher(text);
      while (m.find()) {
        SECTIONS.put(m.group(1), m.group(2));
      }
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private TlogVectors() {}

  /** A section's exact content. */
  static String text(String id) {
    String s = SECTIONS.get(id);
    if (s == null) {
      throw new IllegalArgumentException("no vector " + id);
    }
    return s;
  }

  /** A section's content as UTF-8 bytes. */
  static byte[] bytes(String id) {
    return text(id).getBytes(StandardCharsets.UTF_8);
  }

  /** A one-line section without its newline. */
  static String line(String id) {
    return text(id).strip();
  }

  /** The lines of a section. */
  static String[] lines(String id) {
    return text(id).split("\n");
  }

  /** The parsed note of a section. */
  static Note note(String id) {
    return Note.parse(bytes(id));
  }

  /** The verifier of a one-line verifier-key section. */
  static NoteVerifier verifier(String id) {
    return NoteVerifier.parse(line(id));
  }

  /**
   * The 32-byte Ed25519 private key of a Go signer key {@code PRIVATE+KEY+<name>+<hash>+<base64(0x01 || key)>}: test
   * keys published in Go's and transparency-dev's tests.
   */
  static byte[] goPrivateKey(String id) {
    String[] parts = line(id).split("\\+", 5);
    byte[] raw = Base64.getDecoder().decode(parts[4]);
    if (!parts[0].equals("PRIVATE") || !parts[1].equals("KEY") || raw.length != 33 || raw[0] != 1) {
      throw new IllegalArgumentException("not a Go Ed25519 signer key: " + id);
    }
    return Arrays.copyOfRange(raw, 1, raw.length);
  }
}
