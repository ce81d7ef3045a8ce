package dev.safeguards.audit;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A resource an audited action touched, named by type and id, never by its content (164.312(b)).
 *
 * <p>Search criteria can be PHI (a name, an SSN), so they are kept only as keyed hashes made by a {@link QueryHasher}:
 * the log shows that two searches asked for the same value without showing the value.
 *
 * @param type the kind of resource, e.g. {@code Patient}: 1 to 64 visible ASCII characters
 * @param id the resource's id, e.g. a UUID: 1 to 256 visible ASCII characters
 * @param query search parameters by name, each value a keyed hash from {@link QueryHasher}; sorted by name
 */
public record AuditEntity(String type, String id, SortedMap<String, String> query) {

  private static final Pattern KEYED_HASH = Pattern.compile("bi1:[0-9a-f]{8}:[A-Za-z0-9_-]{6,86}");

  /**
   * Checks every part.
   *
   * @param type the kind of resource: 1 to 64 visible ASCII characters
   * @param id the resource's id: 1 to 256 visible ASCII characters
   * @param query search parameters by name (1 to 64 visible ASCII characters), each value a keyed hash from
   *     {@link QueryHasher}; not null, may be empty; copied into a sorted, unmodifiable map
   * @throws NullPointerException if a part or a query value is null
   * @throws IllegalArgumentException if the type or id is not an identifier, a parameter name is not one, or a value
   *     is not a keyed hash
   */
  public AuditEntity {
    AuditValues.identifier("entity type", type, 64);
    AuditValues.identifier("entity id", id, AuditValues.MAX_IDENTIFIER);
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : query.entrySet()) {
      AuditValues.identifier("query parameter", e.getKey(), 64);
      if (!KEYED_HASH.matcher(Objects.requireNonNull(e.getValue(), "query value")).matches()) {
        throw new IllegalArgumentException("a query value in an audit event must be a keyed hash from QueryHasher");
      }
      copy.put(e.getKey(), e.getValue());
    }
    query = Collections.unmodifiableSortedMap(copy);
  }

  /**
   * The resource {@code type}/{@code id}, with no query.
   *
   * @param type the kind of resource, e.g. {@code Patient}: 1 to 64 visible ASCII characters
   * @param id the resource's id: 1 to 256 visible ASCII characters
   * @return the entity, with an empty query
   * @throws IllegalArgumentException if the type or id is not an identifier
   */
  public static AuditEntity of(String type, String id) {
    return new AuditEntity(type, id, new TreeMap<>());
  }

  /**
   * A search over resources of {@code type}: {@code id} names the collection searched (e.g. {@code *}), and each
   * parameter value is hashed with {@code hasher} before it is kept.
   *
   * @param type the kind of resource searched, e.g. {@code Patient}: 1 to 64 visible ASCII characters
   * @param id the collection searched, e.g. {@code *}: 1 to 256 visible ASCII characters
   * @param parameters the search parameters by name, their values in the clear (they may be PHI); not null; not kept
   * @param hasher hashes each value under the audit log's blind-index key; not null
   * @return the entity, every parameter value replaced by its keyed hash
   * @throws IllegalArgumentException if the type, id or a parameter name is not an identifier, or a value is empty
   */
  public static AuditEntity search(String type, String id, Map<String, String> parameters, QueryHasher hasher) {
    TreeMap<String, String> hashed = new TreeMap<>();
    parameters.forEach((name, value) -> hashed.put(name, hasher.hash(name, value)));
    return new AuditEntity(type, id, hashed);
  }
}
