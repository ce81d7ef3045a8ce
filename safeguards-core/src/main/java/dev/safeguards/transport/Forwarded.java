package dev.safeguards.transport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads the forwarding headers: RFC 7239 {@code Forwarded} and the {@code X-Forwarded-*} lists. */
final class Forwarded {

  private Forwarded() {}

  /**
   * The parameters of the last element of the {@code Forwarded} field, the element the nearest (trusted) proxy added:
   * names lower-cased, quoted values unquoted. Empty when the field is absent or its last element is empty.
   *
   * @throws IllegalArgumentException if a quoted string is not terminated, has characters after its closing quote, or
   *     a parameter appears twice in the last element: then which element is the proxy's cannot be told (an
   *     unterminated quote sent by the client would swallow an element a proxy appended after it)
   */
  static Map<String, String> lastElement(List<String> fieldLines) {
    String last = null;
    for (String line : fieldLines) {
      for (String element : splitOutsideQuotes(line, ',')) {
        if (!element.isBlank()) {
          last = element;
        }
      }
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    if (last == null) {
      return parameters;
    }
    for (String pair : splitOutsideQuotes(last, ';')) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        String name = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        if (parameters.put(name, unquote(pair.substring(eq + 1).strip())) != null) {
          throw new IllegalArgumentException("a Forwarded parameter appears twice in one element");
        }
      }
    }
    return parameters;
  }

  /** The last value of a comma-separated list header. */
  static Optional<String> lastListValue(List<String> fieldLines) {
    Optional<String> found = Optional.empty();
    for (String line : fieldLines) {
      for (String v : line.split(",")) {
        if (!v.isBlank()) {
          found = Optional.of(v.strip());
        }
      }
    }
    return found;
  }

  /** An address without its port: {@code [2001:db8::1]:443} and {@code 192.0.2.1:8080} lose the port. */
  static String stripPort(String address) {
    if (address.startsWith("[")) {
      int end = address.indexOf(']');
      return end > 0 ? address.substring(0, end + 1) : address;
    }
    int colon = address.indexOf(':');
    return colon > 0 && address.indexOf(':', colon + 1) < 0 ? address.substring(0, colon) : address;
  }

  /** {@code s} split at {@code separator} outside RFC 9110 quoted strings, whose quoted pairs ({@code \x}) it skips. */
  private static List<String> splitOutsideQuotes(String s, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted && c == '\\' && i + 1 < s.length()) {
        cur.append(c).append(s.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == separator && !quoted) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("a Forwarded quoted string is not terminated");
    }
    parts.add(cur.toString());
    return parts;
  }

  /** A value as is, or the content of a quoted string with its quoted pairs resolved. */
  private static String unquote(String value) {
    if (!value.startsWith("\"")) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        out.append(value.charAt(++i));
      } else if (c == '"') {
        if (i != value.length() - 1) {
          throw new IllegalArgumentException("characters after a Forwarded quoted string");
        }
        return out.toString();
      } else {
        out.append(c);
      }
    }
    throw new IllegalArgumentException("a Forwarded quoted string is not terminated");
  }
}
