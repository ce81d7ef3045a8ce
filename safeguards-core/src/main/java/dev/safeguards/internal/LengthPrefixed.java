package dev.safeguards.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An unambiguous encoding of a sequence of strings: each is written as its UTF-8 length (4 bytes, big-endian) followed
 * by its UTF-8 bytes, so that no two different sequences encode to the same bytes. Used for associated data and keyed
 * hash inputs. Not part of the public API.
 */
public final class LengthPrefixed {

  private LengthPrefixed() {}

  /**
   * Encodes {@code parts} in order. A string with an unpaired surrogate is encoded with {@code ?} in its place (as
   * {@link String#getBytes} does), so it is not told apart from the same string with a {@code ?} there.
   *
   * @param parts the strings, none null; none gives an empty array
   * @return a new array: for each part, its UTF-8 length as 4 big-endian bytes, then its UTF-8 bytes
   * @throws NullPointerException if a part is null
   * @throws ArithmeticException if the encoding would be longer than {@link Integer#MAX_VALUE} bytes
   */
  public static byte[] encode(String... parts) {
    byte[][] utf8 = new byte[parts.length][];
    int length = 0;
    for (int i = 0; i < parts.length; i++) {
      utf8[i] = parts[i].getBytes(StandardCharsets.UTF_8);
      length = Math.addExact(length, 4 + utf8[i].length);
    }
    ByteBuffer out = ByteBuffer.allocate(length); // big-endian
    for (byte[] part : utf8) {
      out.putInt(part.length).put(part);
    }
    return out.array();
  }

  /**
   * Appends {@code part} to an existing encoding: {@code append(encode(a, b), c)} equals {@code encode(a, b, c)}.
   *
   * @param encoded an encoding made by {@link #encode} or this method; not modified
   * @param part the string to append; not null
   * @return a new array, {@code encoded} followed by the encoding of {@code part}
   * @throws ArithmeticException if the result would be longer than {@link Integer#MAX_VALUE} bytes
   */
  public static byte[] append(byte[] encoded, String part) {
    byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(Math.addExact(encoded.length, 4 + utf8.length))
        .put(encoded).putInt(utf8.length).put(utf8).array();
  }
}
