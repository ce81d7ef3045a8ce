package dev.safeguards.access;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which fields of a JSON document are PHI, and of which category; every other field named here is not PHI (164.514,
 * minimum necessary). One classification drives both {@link MinimumNecessary} filtering and {@link #redact log
 * redaction}, so what a role may not see is also what never reaches a log.
 *
 * <p>Fields are named by their JSON property names, nested objects by dotted paths ({@code address.city}); arrays are
 * transparent (a path names the field in every element). A field the classification does not name is
 * <em>unclassified</em>: the filter removes it unless told otherwise, and redaction masks it, so a field added later
 * does not leak before someone classifies it. Immutable and thread-safe.
 */
public final class FieldClassification {

  private static final Pattern PATH = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*(\\.[A-Za-z_$][A-Za-z0-9_$-]*)*");

  private final Map<String, PhiCategory> phi;
  private final Set<String> notPhi;
  private final Set<String> containers;

  private FieldClassification(Map<String, PhiCategory> phi, Set<String> notPhi) {
    this.phi = Map.copyOf(phi);
    this.notPhi = Set.copyOf(notPhi);
    Set<String> parents = new HashSet<>();
    for (String path : union(phi.keySet(), notPhi)) {
      for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
        parents.add(path.substring(0, dot));
      }
    }
    this.containers = Set.copyOf(parents);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Starts a declarative classification: {@code .phi("diagnosis", CLINICAL).notPhi("id")}.
   *
   * @return a new builder with no field classified
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The classification of a class's fields (or a record's components): {@link Phi}-annotated ones are PHI of their
   * category, the rest are not PHI. JSON names follow {@code @JsonProperty} where present. Nested types are not
   * followed; classify nested documents with dotted paths through the builder. For a class, the non-static fields
   * of the class and its superclasses are read ({@link Phi} cannot mark a getter).
   *
   * @param type the class or record whose JSON form is classified; not null
   * @return the classification
   * @throws IllegalArgumentException if a JSON name is not a valid path segment (letters, digits, {@code _}, {@code
   *     $}, {@code -}, not starting with a digit or {@code -}), or two fields have the same JSON name
   */
  public static FieldClassification fromAnnotations(Class<?> type) {
    Builder b = builder();
    if (type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) {
        JsonProperty name = c.getAccessor().getAnnotation(JsonProperty.class);
        Phi phi = c.getAnnotation(Phi.class);
        add(b, name != null && !name.value().isEmpty() ? name.value() : c.getName(), phi);
      }
      return b.build();
    }
    for (Class<?> t = type; t != null && t != Object.class; t = t.getSuperclass()) {
      for (Field f : t.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
          continue;
        }
        JsonProperty name = f.getAnnotation(JsonProperty.class);
        add(b, name != null && !name.value().isEmpty() ? name.value() : f.getName(), f.getAnnotation(Phi.class));
      }
    }
    return b.build();
  }

  private static void add(Builder b, String name, Phi phi) {
    if (phi == null) {
      b.notPhi(name);
    } else {
      b.phi(name, phi.category());
    }
  }

  /**
   * The category of the field at {@code path}, if it is PHI.
   *
   * @param path the dotted path of JSON property names, compared exactly
   * @return the category; empty if the path is declared not PHI or is unclassified
   */
  public Optional<PhiCategory> categoryOf(String path) {
    return Optional.ofNullable(phi.get(path));
  }

  /**
   * Whether the field at {@code path} is declared not to be PHI.
   *
   * @param path the dotted path of JSON property names, compared exactly
   * @return true only for a path declared not PHI; false for PHI and for unclassified paths
   */
  public boolean isNotPhi(String path) {
    return notPhi.contains(path);
  }

  /** Whether {@code path} is an object some classified path lies inside. */
  boolean isContainer(String path) {
    return containers.contains(path);
  }

  /**
   * A copy of {@code document} for a log line: every PHI value replaced by {@code [category]} (e.g.
   * {@code [clinical]}), and every unclassified value by {@code [unclassified]}. Field names stay, so the line still
   * says what the document held. A PHI field is masked whole, even when its value is an object or array.
   *
   * @param document the document; not null, not modified
   * @return a redacted deep copy
   */
  public JsonNode redact(JsonNode document) {
    JsonNode copy = document.deepCopy();
    redact(copy, "");
    return copy;
  }

  private void redact(JsonNode node, String path) {
    if (node.isArray()) {
      node.forEach(element -> redact(element, path));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode object = (ObjectNode) node;
    for (String name : new HashSet<>(iterable(object))) {
      String full = path.isEmpty() ? name : path + "." + name;
      Optional<PhiCategory> category = categoryOf(full);
      if (category.isPresent()) {
        object.put(name, "[" + category.get().code() + "]");
      } else if (isNotPhi(full) || isContainer(full)) {
        redact(object.get(name), full);
      } else {
        object.put(name, "[unclassified]");
      }
    }
  }

  static Set<String> iterable(ObjectNode object) {
    Set<String> names = new HashSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Builds a {@link FieldClassification}. */
  public static final class Builder {
    private final Map<String, PhiCategory> phi = new HashMap<>();
    private final Set<String> notPhi = new HashSet<>();

    private Builder() {}

    /**
     * Declares the field at {@code path} PHI of {@code category}.
     *
     * @param path JSON property names joined by dots, e.g. {@code address.city}
     * @param category the kind of PHI; not null
     * @return this builder
     * @throws IllegalArgumentException if the path is null, malformed or already classified
     * @throws NullPointerException if {@code category} is null
     */
    public Builder phi(String path, PhiCategory category) {
      check(path);
      phi.put(path, Objects.requireNonNull(category, "category"));
      return this;
    }

    /**
     * Declares the field at {@code path} not PHI: every role may see it, and logs may show it.
     *
     * @param path JSON property names joined by dots, e.g. {@code id}
     * @return this builder
     * @throws IllegalArgumentException if the path is null, malformed or already classified
     */
    public Builder notPhi(String path) {
      check(path);
      notPhi.add(path);
      return this;
    }

    private void check(String path) {
      if (path == null || !PATH.matcher(path).matches()) {
        throw new IllegalArgumentException("a field path is JSON property names joined by dots");
      }
      if (phi.containsKey(path) || notPhi.contains(path)) {
        throw new IllegalArgumentException("field " + path + " is already classified");
      }
    }

    /**
     * The classification.
     *
     * @return a new, immutable classification of the fields declared so far
     */
    public FieldClassification build() {
      return new FieldClassification(phi, notPhi);
    }
  }
}
