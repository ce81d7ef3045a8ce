package dev.safeguards.transport;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads the forwarding headers: RFC 7239 {@code Forwarded} and the {@code X-Forwarded-*} lists. */
final class Forwarded {

  private Forwarded() {}

  /**
   * The {@code name} parameter of the last {@code Forwarded} element that has one: the element the nearest (trusted)
   * proxy added.
   */
  static Optional<String> lastParameter(List<String> fieldLines, String name) {
    Optional<String> found = Optional.empty();
    for (String line : fieldLines) {
      for (String element : splitOutsideQuotes(line, ',')) {
        for (String pair : splitOutsideQuotes(element, ';')) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals(name)) {
            String value = pair.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
              value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
            }
            found = Optional.of(value);
          }
        }
      }
    }
    return found;
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

  private static List<String> splitOutsideQuotes(String s, char separator) {
    java.util.ArrayList<String> parts = new java.util.ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      }
      if (c == separator && !quoted) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }
}
