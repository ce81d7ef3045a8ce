package dev.safeguards.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An unambiguous encoding of a sequence of strings: each is written as its UTF-8 length (4 bytes, big-endian) followed
 * by its UTF-8 bytes, so that no two different sequences encode to the same bytes (a string that has no UTF-8 form is
 * refused). Used for associated data and keyed
 * hash inputs. Not part of the public API.
 */
public final class LengthPrefixed {

  private LengthPrefixed() {}

  /**
   * Encodes {@code parts} in order.
   *
   * @param parts the strings, none null; none gives an empty array
   * @return a new array: for each part, its UTF-8 length as 4 big-endian bytes, then its UTF-8 bytes
   * @throws NullPointerException if a part is null
   * @throws IllegalArgumentException if a part is not well-formed UTF-16 (an unpaired surrogate), which has no UTF-8
   *     form: {@link String#getBytes} would write {@code ?} in its place, so that two different strings encoded alike
   * @throws ArithmeticException if the encoding would be longer than {@link Integer#MAX_VALUE} bytes
   */
  public static byte[] encode(String... parts) {
    byte[][] utf8 = new byte[parts.length][];
    int length = 0;
    for (int i = 0; i < parts.length; i++) {
      utf8[i] = utf8(parts[i]);
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
   * @throws IllegalArgumentException if {@code part} is not well-formed UTF-16, as {@link #encode}
   * @throws ArithmeticException if the result would be longer than {@link Integer#MAX_VALUE} bytes
   */
  public static byte[] append(byte[] encoded, String part) {
    byte[] utf8 = utf8(part);
    return ByteBuffer.allocate(Math.addExact(encoded.length, 4 + utf8.length))
        .put(encoded).putInt(utf8.length).put(utf8).array();
  }

  /**
   * Whether {@code s} is well-formed UTF-16: every surrogate is one of a pair, so that it has a UTF-8 form.
   *
   * @param s the text; not null
   * @return false if it holds an unpaired surrogate
   */
  public static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} in UTF-8, refusing an unpaired surrogate rather than letting {@link String#getBytes} replace it. */
  private static byte[] utf8(String s) {
    if (!wellFormed(s)) {
      throw new IllegalArgumentException("a part is not well-formed text (an unpaired surrogate)");
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
