package dev.safeguards.integrity.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte string of a JSON value that any conforming implementation
 * produces, so that a signature over it can be checked by another implementation.
 *
 * <p>Object members are sorted by their names as UTF-16 code units, no white space is written, strings are escaped as
 * ECMAScript's {@code JSON.stringify} does, and numbers are written as ECMAScript's shortest round-trip form of their
 * IEEE-754 double value. NaN, infinities and lone surrogates cannot be canonicalized and fail with
 * {@link IllegalArgumentException}. Not part of the public API.
 */
public final class JsonCanonicalizer {

  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonCanonicalizer() {}

  /**
   * Parses JSON strictly: duplicate member names and trailing content are refused.
   *
   * @param json UTF-8 JSON text; not null
   * @return the one JSON value it holds
   * @throws IllegalArgumentException if the input is not one valid JSON value (the message does not echo it)
   */
  public static JsonNode parseStrict(byte[] json) {
    try {
      JsonNode node = STRICT.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("the input holds no JSON value");
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException("the input is not valid JSON (or repeats a member name)");
    }
  }

  /**
   * The canonical UTF-8 bytes of {@code value}.
   *
   * @param value a JSON value; not null
   * @return its RFC 8785 form, as UTF-8
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if it holds NaN, an infinity, a lone surrogate, or a node that is not JSON
   *     (binary, POJO or missing)
   */
  public static byte[] canonicalize(JsonNode value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        names.sort(null); // String.compareTo orders by UTF-16 code units, as RFC 8785 requires
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          string(names.get(i), out);
          out.append(':');
          write(node.get(names.get(i)), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> string(node.textValue(), out);
      case NUMBER -> out.append(number(node.doubleValue()));
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      default -> throw new IllegalArgumentException("a " + node.getNodeType() + " node is not JSON");
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw new IllegalArgumentException("a string holds a lone surrogate");
        }
        out.append(c).append(s.charAt(++i));
        continue;
      }
      if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException("a string holds a lone surrogate");
      }
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** ECMAScript Number::toString of {@code d} (ECMA-262 section 6.1.6.1.20), as RFC 8785 section 3.2.2.3 requires. */
  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("NaN and infinities have no JSON form");
    }
    if (d == 0) {
      return "0"; // also for -0
    }
    if (d < 0) {
      return "-" + number(-d);
    }
    BigDecimal shortest = shortestRoundTrip(d);
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int n = k - shortest.scale(); // d = digits x 10^(n - k)
    StringBuilder sb = new StringBuilder();
    if (k <= n && n <= 21) {
      sb.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      int e = n - 1;
      sb.append(digits.charAt(0));
      if (k > 1) {
        sb.append('.').append(digits, 1, k);
      }
      sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return sb.toString();
  }

  /**
   * The decimal with the fewest significant digits that reads back as {@code d}; among two of equal length, the one
   * closer to {@code d}, and then the one with an even last digit.
   */
  private static BigDecimal shortestRoundTrip(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int p = 1; p <= 17; p++) {
      BigDecimal below = exact.round(new MathContext(p, RoundingMode.FLOOR));
      BigDecimal above = exact.round(new MathContext(p, RoundingMode.CEILING));
      boolean belowOk = Double.parseDouble(below.toString()) == d;
      boolean aboveOk = Double.parseDouble(above.toString()) == d;
      if (belowOk && aboveOk && below.compareTo(above) != 0) {
        int cmp = exact.subtract(below).compareTo(above.subtract(exact));
        if (cmp != 0) {
          return (cmp < 0 ? below : above).stripTrailingZeros();
        }
        return (evenLastDigit(below) ? below : above).stripTrailingZeros();
      }
      if (belowOk) {
        return below.stripTrailingZeros();
      }
      if (aboveOk) {
        return above.stripTrailingZeros();
      }
    }
    throw new IllegalStateException("17 significant digits always round-trip a double");
  }

  private static boolean evenLastDigit(BigDecimal v) {
    return !v.unscaledValue().testBit(0);
  }
}
