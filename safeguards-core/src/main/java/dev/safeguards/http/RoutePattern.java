package dev.safeguards.http;

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
   * The parameters if {@code path} matches (a UUID parameter matches any segment here; {@link #invalidUuid} checks
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

  /** The name of the first UUID parameter whose value is not a UUID, if any. */
  Optional<String> invalidUuid(Map<String, String> params) {
    for (String s : segments) {
      var m = PARAM.matcher(s);
      if (m.matches() && m.group(2) != null && !UUID.matcher(params.get(m.group(1))).matches()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /** The segments of a path that starts with {@code /}. */
  static List<String> split(String path) {
    if (path.equals("/")) {
      return List.of();
    }
    return List.of(path.substring(1).split("/", -1));
  }
}
