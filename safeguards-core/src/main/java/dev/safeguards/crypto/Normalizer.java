package dev.safeguards.crypto;

import java.util.Locale;
import java.util.Objects;

/**
 * Turns the different ways of writing one value into one form before a {@link BlindIndex} hashes it, so that
 * {@code 123-45-6789} and {@code 123 45 6789} find the same record.
 *
 * <p>Choose the normalizer when the index is created and never change it: values indexed under one normalizer are not
 * found under another without re-indexing. Implementations must be deterministic and must not log their input.
 */
@FunctionalInterface
public interface Normalizer {

  /**
   * Returns the normalized form of {@code value}.
   *
   * @param value the value as the application holds it; not null
   * @return its normalized form; {@link BlindIndex} refuses a null or empty result
   */
  String normalize(String value);

  /**
   * Applies this normalizer, then {@code next}.
   *
   * @param next the normalizer applied to this one's output; not null
   * @return the composed normalizer
   * @throws NullPointerException if {@code next} is null
   */
  default Normalizer andThen(Normalizer next) {
    Objects.requireNonNull(next, "next");
    return value -> next.normalize(normalize(value));
  }

  /**
   * Leaves the value as it is: only byte-identical values match.
   *
   * @return the normalizer that returns its input
   */
  static Normalizer identity() {
    return value -> value;
  }

  /**
   * Unicode compatibility normalization (NFKC): full-width and composed forms become their plain equivalents.
   *
   * @return the normalizer applying {@link java.text.Normalizer.Form#NFKC}
   */
  static Normalizer nfkc() {
    return value -> java.text.Normalizer.normalize(value, java.text.Normalizer.Form.NFKC);
  }

  /**
   * NFKC, then lower case in the root locale: {@code Ann@Example.ORG} and {@code ann@example.org} match.
   *
   * @return the normalizer applying NFKC, then upper case, then lower case (root locale), so that {@code ß} and
   *     {@code ss} match too
   */
  static Normalizer caseFold() {
    return nfkc().andThen(value -> value.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT));
  }

  /**
   * NFKC, then only the digits 0-9 are kept: for SSNs, phone numbers, medical record numbers.
   *
   * @return the normalizer; a value without such digits becomes empty, which {@link BlindIndex} refuses
   */
  static Normalizer digitsOnly() {
    return nfkc().andThen(value -> {
      StringBuilder sb = new StringBuilder(value.length());
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c >= '0' && c <= '9') {
          sb.append(c);
        }
      }
      return sb.toString();
    });
  }

  /**
   * Strips leading and trailing white space and collapses every inner run of white space to one space.
   *
   * @return the normalizer; leading and trailing white space is any {@link Character#isWhitespace} character, but
   *     only ASCII white space ({@code \s}: space, tab, line breaks, form feed) is collapsed inside the value
   */
  static Normalizer collapseWhitespace() {
    return value -> value.strip().replaceAll("\\s+", " ");
  }
}
