package dev.safeguards.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable header fields: names compared case-insensitively, the values of each name in order.
 */
public final class HttpFields {

  private final Map<String, List<String>> byName;
  private final boolean malformed;

  private HttpFields(Map<String, List<String>> byName, boolean malformed) {
    this.byName = byName;
    this.malformed = malformed;
  }

  /**
   * Whether a field line that is not well formed was left out while collecting ({@link Builder#received}); the gate
   * refuses such a request (400), audited.
   *
   * @return true if at least one field line was left out
   */
  public boolean malformed() {
    return malformed;
  }

  /**
   * The values of every field line named {@code name}, in order; empty when absent.
   *
   * @param name the field name, in any case; not null
   * @return an unmodifiable list of the values as received, never null
   */
  public List<String> values(String name) {
    return byName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /**
   * The lower-cased names present, in order of first appearance.
   *
   * @return an unmodifiable set, never null
   */
  public Set<String> names() {
    return byName.keySet();
  }

  /**
   * Starts collecting field lines.
   *
   * @return a new, empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects field lines. Not thread-safe. */
  public static final class Builder {
    private final Map<String, List<String>> byName = new LinkedHashMap<>();
    private boolean malformed;

    Builder() {}

    /**
     * Adds one field line as a container received it: one that {@link #add} would refuse (a name that is not a
     * token, a value with CR, LF or NUL) is left out and noted in {@link HttpFields#malformed()} instead, so that an
     * adapter never fails before the gate has audited the request.
     *
     * @param name the field name; a null or malformed one is left out
     * @param value the field value; null counts as empty
     * @return this builder
     */
    public Builder received(String name, String value) {
      try {
        return add(name, value == null ? "" : value);
      } catch (IllegalArgumentException e) {
        malformed = true;
        return this;
      }
    }

    /**
     * Adds one field line.
     *
     * @param name the field name, an RFC 9110 token in any case; kept in lower case
     * @param value the field value, kept as given; not null
     * @return this builder
     * @throws IllegalArgumentException if the name is null or not a token, or the value holds CR, LF or NUL
     * @throws NullPointerException if {@code value} is null
     */
    public Builder add(String name, String value) {
      Objects.requireNonNull(value, "value");
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("a field name is a non-empty token");
      }
      boolean lowerCase = true;
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c >= TCHAR.length || !TCHAR[c]) {
          throw new IllegalArgumentException("a field name is a non-empty token");
        }
        lowerCase &= c < 'A' || c > 'Z';
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '\r' || c == '\n' || c == 0) {
          throw new IllegalArgumentException("a field value must not contain CR, LF or NUL");
        }
      }
      String key = lowerCase ? name : name.toLowerCase(Locale.ROOT);
      List<String> values = byName.get(key);
      if (values == null) {
        values = new ArrayList<>(1);
        byName.put(key, values);
      }
      values.add(value);
      return this;
    }

    /**
     * The fields.
     *
     * @return an immutable copy of the lines added so far; the builder may go on collecting
     */
    public HttpFields build() {
      Map<String, List<String>> copy = new LinkedHashMap<>();
      byName.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      return new HttpFields(Collections.unmodifiableMap(copy), malformed);
    }

    /** RFC 9110 {@code tchar}, by US-ASCII code. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
      for (char c = 0; c < 128; c++) {
        TCHAR[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      }
    }
  }
}
