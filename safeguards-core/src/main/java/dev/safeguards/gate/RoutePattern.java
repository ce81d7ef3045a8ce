package dev.safeguards.gate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed path pattern: literal segments and {@code {name}} or {@code {name:uuid}} parameters, each name at most
 * once.
 */
record RoutePattern(List<String> segments) {

  private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)(:uuid)?}");
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@-]+");
  static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  static RoutePattern parse(String pattern) {
    if (pattern == null || !pattern.startsWith("/")) {
      throw new IllegalArgumentException("a route pattern starts with /");
    }
    List<String> segments = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (!pattern.equals("/")) {
      for (String s : pattern.substring(1).split("/", -1)) {
        var param = PARAM.matcher(s);
        if (param.matches()) {
          // One value per name: a repeated name would keep only the last segment, and a {name:uuid} check would
          // then look at the other segment's value.
          if (!names.add(param.group(1))) {
            throw new IllegalArgumentException("a route pattern names each parameter once");
          }
        } else if (!LITERAL.matcher(s).matches()) {
          throw new IllegalArgumentException("a route pattern segment is a literal or {name} or {name:uuid}");
        }
        segments.add(s);
      }
    }
    return new RoutePattern(List.copyOf(segments));
  }

  List<String> parameters() {
    List<String> names = new ArrayList<>();
    for (String s : segments) {
      var m = PARAM.matcher(s);
      if (m.matches()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * The parameters if {@code path} matches (a UUID parameter matches any segment here; {@link #canonical} checks
   * it), or empty.
   */
  Optional<Map<String, String>> match(List<String> path) {
    if (path.size() != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      var m = PARAM.matcher(segments.get(i));
      if (m.matches()) {
        if (path.get(i).isEmpty()) {
          return Optional.empty();
        }
        params.put(m.group(1), path.get(i));
      } else if (!segments.get(i).equals(path.get(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  /** The longest path parameter value accepted: the audit log's limit for a resource id. */
  static final int MAX_PARAMETER = 256;

  /**
   * The parameters in canonical form, or empty if one is malformed: a {@code {name:uuid}} value must be a UUID and is
   * returned in lower case (RFC 9562's canonical form), so that one resource is named one way in decisions and audit
   * events however the client spelled it; every value must be 1 to {@value #MAX_PARAMETER} visible ASCII characters,
   * as the audit log names resources, and name the segment the application gets: no dot segment, {@code ;} or
   * encoded separator.
   */
  Optional<Map<String, String>> canonical(Map<String, String> params) {
    Map<String, String> out = new LinkedHashMap<>(params);
    for (String s : segments) {
      var m = PARAM.matcher(s);
      if (!m.matches()) {
        continue;
      }
      String value = params.get(m.group(1));
      if (!visible(value) || !plainSegment(value)) {
        return Optional.empty();
      }
      if (m.group(2) != null) {
        if (!UUID.matcher(value).matches()) {
          return Optional.empty();
        }
        out.put(m.group(1), value.toLowerCase(java.util.Locale.ROOT));
      } else {
        String normal = normalPercentEncoding(value);
        if (normal == null) {
          return Optional.empty();
        }
        out.put(m.group(1), normal);
      }
    }
    return Optional.of(java.util.Collections.unmodifiableMap(out));
  }

  /**
   * Whether a segment reaches the application as the same one segment: not a dot segment ({@code .} or {@code ..},
   * also percent-encoded), which the container resolves (RFC 3986 section 5.2.4) so that the application serves
   * another path than the one decided; without a {@code ;} path parameter, which the container strips before the
   * application sees the value; without an encoded {@code /} or {@code \}, which a container may decode into a
   * separator.
   */
  private static boolean plainSegment(String value) {
    String lower = value.toLowerCase(java.util.Locale.ROOT);
    String dots = lower.replace("%2e", ".");
    return !dots.equals(".") && !dots.equals("..") && lower.indexOf(';') < 0 && !lower.contains("%2f")
        && !lower.contains("%5c");
  }

  /**
   * {@code value} with its percent-encoding in RFC 3986's normal form (section 6.2.2): an encoded unreserved character
   * decoded ({@code %61bc} is {@code abc}), every other triplet in upper case ({@code %c3%a9} is {@code %C3%A9}); so
   * that the spellings of one segment the container hands the application alike are one name. Null if a {@code %} is
   * not followed by two hex digits.
   */
  private static String normalPercentEncoding(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(value.charAt(i + 2), 16);
      if (lo < 0) {
        return null;
      }
      char decoded = (char) (hi * 16 + lo);
      boolean unreserved = decoded < 0x80 && (Character.isLetterOrDigit(decoded) || "-._~".indexOf(decoded) >= 0);
      out.append(unreserved ? String.valueOf(decoded) : value.substring(i, i + 3).toUpperCase(java.util.Locale.ROOT));
      i += 2;
    }
    return out.toString();
  }

  private static boolean visible(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_PARAMETER) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** The segments of a path that starts with {@code /}. */
  static List<String> split(String path) {
    if (path.equals("/")) {
      return List.of();
    }
    return List.of(path.substring(1).split("/", -1));
  }
}
