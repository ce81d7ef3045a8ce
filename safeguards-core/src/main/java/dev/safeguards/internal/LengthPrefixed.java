package dev.safeguards.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An unambiguous encoding of a sequence of strings: each is written as its UTF-8 length (4 bytes, big-endian) followed
 * by its UTF-8 bytes, so that no two different sequences encode to the same bytes. Used for associated data and keyed
 * hash inputs. Not part of the public API.
 */
public final class LengthPrefixed {

  private LengthPrefixed() {}

  /** Encodes {@code parts} in order. */
  public static byte[] encode(String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : parts) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      writeInt(out, bytes.length);
      out.write(bytes, 0, bytes.length);
    }
    return out.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
