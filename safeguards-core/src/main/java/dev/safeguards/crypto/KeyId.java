package dev.safeguards.crypto;

/**
 * The identifier of one key in a keyset: an unsigned 32-bit number, written as eight lower-case hex digits.
 *
 * <p>A key id is not secret. Field ciphertexts and streaming ciphertexts carry the id of the key that sealed them, so
 * that rotation keeps old values readable and the re-encryption job can find values under retired keys.
 *
 * @param value the id as Tink stores it (a signed {@code int} holding the unsigned value)
 */
public record KeyId(int value) {

  /**
   * Parses the eight-hex-digit form.
   *
   * @param text the id as {@link #toString()} writes it; upper-case digits are accepted too
   * @return the key id
   * @throws IllegalArgumentException if {@code text} is null or not exactly eight ASCII hex digits (either case)
   */
  public static KeyId parse(String text) {
    if (text == null || text.length() != 8) {
      throw new IllegalArgumentException("a key id is exactly 8 hex digits");
    }
    for (int i = 0; i < 8; i++) {
      char c = text.charAt(i);
      // ASCII only: Character.digit also reads other scripts' digits, so that "٠a1b2c3d" named key 0a1b2c3d.
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        throw new IllegalArgumentException("a key id is exactly 8 hex digits");
      }
    }
    return new KeyId(Integer.parseUnsignedInt(text, 16));
  }

  /** Returns the eight lower-case hex digits, e.g. {@code 0a1b2c3d}. */
  @Override
  public String toString() {
    String hex = Integer.toHexString(value); // unsigned: eight digits for a negative value
    return "00000000".substring(hex.length()) + hex;
  }
}
