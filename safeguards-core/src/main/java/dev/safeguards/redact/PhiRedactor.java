package dev.safeguards.redact;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks common shapes of PHI in free text, for log messages and error bodies: social security numbers, medical record
 * numbers, email addresses, phone numbers, dates of birth and payment card numbers (164.312(b), 164.514).
 *
 * <p>Each match is replaced by a marker naming what it was ({@code [SSN]}, {@code [MRN]}, {@code [EMAIL]},
 * {@code [PHONE]}, {@code [DOB]}, {@code [CARD]}, or the name of a custom shape). The shapes are chosen to miss as
 * little as possible while leaving ordinary log content alone: SSNs must have a valid area, group and serial (or follow
 * the word SSN), card numbers must pass the Luhn check, dates count as dates of birth only after words such as
 * {@code DOB} or {@code born}, and digits inside UUIDs, IP addresses, timestamps and version numbers are not touched.
 * Pattern redaction is a safety net, not a guarantee: keep PHI out of logs in the first place, and let the field
 * classification redact structured data. docs/access-control.md shows how to plug it into Logback and Log4j2.
 * Immutable and thread-safe.
 */
public final class PhiRedactor {

  private static final String NOT_IN_WORD_BEFORE = "(?<![\\w@.+-])";
  private static final String NOT_IN_WORD_AFTER = "(?![\\w-]|\\.\\d)";
  private static final String MONTH = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
      + "|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
  private static final String DATE = "(?:\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}"
      + "|" + MONTH + "\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}(?:st|nd|rd|th)?\\s+" + MONTH + "\\.?,?\\s+\\d{4})";

  private static final List<Shape> DEFAULTS = List.of(
      new Shape("SSN", Pattern.compile(NOT_IN_WORD_BEFORE
          + "(?!000|666|9\\d\\d)\\d{3}([- ])(?!00)\\d{2}\\1(?!0000)\\d{4}" + NOT_IN_WORD_AFTER), 0, m -> true),
      new Shape("SSN", Pattern.compile("(?i)\\b(?:ssn|social\\s+security(?:\\s+(?:number|no\\.?))?)\\W{0,3}"
          + "(\\d{9}|\\d{3}[- ]\\d{2}[- ]\\d{4})\\b"), 1, m -> true),
      new Shape("MRN", Pattern.compile("(?i)\\b(?:mrn|medical\\s+record(?:\\s+(?:number|no\\.?))?)\\W{0,3}"
          + "([A-Za-z]{0,4}-?\\d{4,12})\\b"), 1, m -> true),
      new Shape("EMAIL", Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"), 0,
          m -> true),
      new Shape("DOB", Pattern.compile("(?i)\\b(?:dob|d\\.o\\.b\\.?|date\\s+of\\s+birth|birth\\s*date|birthday"
          + "|born(?:\\s+on)?)\\W{0,3}(" + DATE + ")"), 1, m -> true),
      new Shape("CARD", Pattern.compile(NOT_IN_WORD_BEFORE + "(?:\\d[ -]?){12,18}\\d" + NOT_IN_WORD_AFTER), 0,
          PhiRedactor::luhn),
      new Shape("PHONE", Pattern.compile(NOT_IN_WORD_BEFORE + "(?:\\+?1[ .-]?)?(?:\\(\\d{3}\\)\\s?|\\d{3}[ .-])"
          + "\\d{3}[ .-]\\d{4}" + NOT_IN_WORD_AFTER), 0, m -> true),
      new Shape("PHONE", Pattern.compile("(?<![\\w+])\\+[1-9]\\d{7,14}" + NOT_IN_WORD_AFTER), 0, m -> true));

  private final List<Shape> shapes;

  private record Shape(String name, Pattern pattern, int group, Predicate<String> accept) {}

  private PhiRedactor(List<Shape> shapes) {
    this.shapes = List.copyOf(shapes);
  }

  /**
   * A redactor with the built-in shapes.
   *
   * @return the standard redactor; immutable, may be shared
   */
  public static PhiRedactor standard() {
    return new PhiRedactor(DEFAULTS);
  }

  /**
   * A redactor with this one's shapes and one more of the organisation's own record-number shapes, e.g. {@code
   * "MRN-\\d{8}"} or {@code "[A-Z]{2}\\d{7}"}; matches are replaced by {@code [name]}. A match counts only where it
   * is not part of something longer: no letter, digit, {@code _}, {@code @}, {@code .}, {@code +} or {@code -} right
   * before it, and no letter, digit, {@code _}, {@code -} or {@code .} and a digit right after it (so {@code
   * "[A-Z]{2}\\d{7}"} leaves {@code XAB1234567} alone). Custom shapes run after the built-in ones and those added
   * before.
   *
   * @param name the marker's name: 1 to 32 upper-case letters, digits, {@code _} or {@code -}, starting with a letter
   * @param regex a {@link Pattern} expression for the shape; not null
   * @return a new redactor with the shape added; this one is unchanged
   * @throws IllegalArgumentException if the name is null or malformed
   * @throws java.util.regex.PatternSyntaxException if {@code regex} is not a valid expression
   * @throws NullPointerException if {@code regex} is null
   */
  public PhiRedactor withShape(String name, String regex) {
    if (name == null || !name.matches("[A-Z][A-Z0-9_-]{0,31}")) {
      throw new IllegalArgumentException("a shape name is 1 to 32 upper-case letters, digits, _ or -");
    }
    List<Shape> all = new ArrayList<>(shapes);
    all.add(new Shape(name, Pattern.compile(NOT_IN_WORD_BEFORE + "(?:" + Objects.requireNonNull(regex, "regex")
        + ")" + NOT_IN_WORD_AFTER), 0, m -> true));
    return new PhiRedactor(all);
  }

  /**
   * {@code text} with every PHI shape replaced by its marker.
   *
   * @param text the text to redact; not null
   * @return the redacted text; the same characters as {@code text} where nothing matched
   * @throws NullPointerException if {@code text} is null
   */
  public String redact(CharSequence text) {
    String out = Objects.requireNonNull(text, "text").toString();
    for (Shape shape : shapes) {
      out = replace(out, shape);
    }
    return out;
  }

  private static String replace(String text, Shape shape) {
    Matcher m = shape.pattern().matcher(text);
    StringBuilder out = null;
    int copied = 0;
    while (m.find()) {
      String hit = m.group(shape.group());
      if (hit == null || !shape.accept().test(hit)) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, copied, m.start(shape.group())).append('[').append(shape.name()).append(']');
      copied = m.end(shape.group());
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, text.length()).toString();
  }

  /** Whether the digits of {@code candidate} (13 to 19 of them) pass the Luhn check. */
  static boolean luhn(String candidate) {
    int sum = 0;
    int digits = 0;
    for (int i = candidate.length() - 1; i >= 0; i--) {
      char c = candidate.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (digits % 2 == 1) {
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      sum += d;
      digits++;
    }
    return digits >= 13 && digits <= 19 && sum % 10 == 0;
  }
}
