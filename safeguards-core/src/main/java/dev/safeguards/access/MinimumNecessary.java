package dev.safeguards.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Removes from a response what the caller's roles may not see, so that an endpoint that returns too much still shares
 * only the minimum necessary (164.502(b), 164.514(d)).
 *
 * <p>Each role sees some {@link PhiCategory PHI categories}. What one access may show follows from what authorised it
 * ({@link #visibleTo(AccessDecision)}): the categories of the roles that authorised it ({@link
 * AccessDecision#authorizingRoles()}), or for access under an emergency grant the emergency categories (every category
 * unless {@link Builder#emergencyAccess} says otherwise), never the union of every role the caller happens to hold.
 * {@link #filter} returns a copy of a JSON document without every PHI field of a category the caller may not see, and
 * without every field the {@link FieldClassification} does not name (unless {@link
 * Builder#keepUnclassifiedFields()}). Immutable and thread-safe.
 */
public final class MinimumNecessary {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FieldClassification classification;
  private final Map<String, Set<PhiCategory>> visibility;
  private final boolean keepUnclassified;
  private final Set<PhiCategory> emergency;

  private MinimumNecessary(Builder b) {
    this.classification = b.classification;
    Map<String, Set<PhiCategory>> copy = new HashMap<>();
    b.visibility.forEach((role, categories) -> copy.put(role, Set.copyOf(categories)));
    this.visibility = Map.copyOf(copy);
    this.keepUnclassified = b.keepUnclassified;
    this.emergency = Set.copyOf(b.emergency);
  }

  /**
   * Starts configuring a filter over {@code classification}.
   *
   * @param classification which fields are PHI, of which category; not null
   * @return a new builder: no role sees PHI, emergency grants see every category, unclassified fields are removed
   * @throws NullPointerException if {@code classification} is null
   */
  public static Builder builder(FieldClassification classification) {
    return new Builder(classification);
  }

  /**
   * The categories a caller with {@code roles} may see: the union of what each role sees.
   *
   * @param roles role names, compared exactly; not null. A role not configured adds nothing
   * @return a new set; empty if no role sees PHI
   */
  public Set<PhiCategory> visibleTo(Collection<String> roles) {
    EnumSet<PhiCategory> visible = EnumSet.noneOf(PhiCategory.class);
    for (String role : roles) {
      visible.addAll(visibility.getOrDefault(role, Set.of()));
    }
    return visible;
  }

  /**
   * The categories one permitted access may show: those of the roles that authorised it, or the emergency categories
   * for access under an emergency grant; none for a denial.
   *
   * @param decision the access decision; not null
   * @return the categories; empty for a denial. Not to be modified
   */
  public Set<PhiCategory> visibleTo(AccessDecision decision) {
    if (!decision.permitted()) {
      return Set.of();
    }
    return decision.emergencyGrant().isPresent() ? emergency : visibleTo(decision.authorizingRoles());
  }

  /**
   * Whether a response of media type {@code mediaType} can be filtered: JSON, {@code application/json} or any {@code
   * +json} type (such as {@code application/fhir+json}). An adapter refuses to write an object the application returns
   * as any other type, rather than send it unfiltered.
   *
   * @param mediaType the response's media type, parameters allowed ({@code application/json; charset=utf-8}), any
   *     case; null for none
   * @return true for a JSON type; false for any other type and for null
   */
  public static boolean filters(String mediaType) {
    if (mediaType == null) {
      return false;
    }
    String type = mediaType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
  }

  /**
   * {@code value} as JSON, holding only what the access {@code decision} authorised may show.
   *
   * @param value a record, a bean or a map, converted with a plain Jackson {@code ObjectMapper} (no modules
   *     registered)
   * @param decision the decision that let the caller reach it; not null
   * @return a new JSON tree without what the decision may not show (a denial shows no PHI)
   * @throws IllegalArgumentException if Jackson cannot convert {@code value}
   */
  public JsonNode filterValue(Object value, AccessDecision decision) {
    JsonNode tree = JSON.valueToTree(value);
    filter(tree, "", visibleTo(decision));
    return tree;
  }

  /**
   * A copy of {@code document} holding only what a caller with {@code roles} may see. Prefer {@link
   * #filterValue(Object, AccessDecision)}, which shows only what the authorising roles may see.
   *
   * @param document the document; not null, not modified
   * @param roles role names, compared exactly; not null
   * @return a filtered deep copy
   */
  public JsonNode filter(JsonNode document, Collection<String> roles) {
    Set<PhiCategory> visible = visibleTo(roles);
    JsonNode copy = document.deepCopy();
    filter(copy, "", visible);
    return copy;
  }

  /**
   * {@code value} (a record, a bean, a map) as JSON, holding only what a caller with {@code roles} may see.
   *
   * @param value the value, converted with a plain Jackson {@code ObjectMapper} (no modules registered)
   * @param roles role names, compared exactly; not null
   * @return a new, filtered JSON tree
   * @throws IllegalArgumentException if Jackson cannot convert {@code value}
   */
  public JsonNode filterValue(Object value, Collection<String> roles) {
    JsonNode tree = JSON.valueToTree(value);
    filter(tree, "", visibleTo(roles));
    return tree;
  }

  private void filter(JsonNode node, String path, Set<PhiCategory> visible) {
    if (node.isArray()) {
      node.forEach(element -> filter(element, path, visible));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode object = (ObjectNode) node;
    for (String name : FieldClassification.iterable(object)) {
      String full = path.isEmpty() ? name : path + "." + name;
      Optional<PhiCategory> category = classification.categoryOf(full);
      if (category.isPresent()) {
        if (!visible.contains(category.get())) {
          object.remove(name);
        }
      } else if (classification.isNotPhi(full) || classification.isContainer(full)) {
        filter(object.get(name), full, visible);
      } else if (!keepUnclassified) {
        object.remove(name);
      }
    }
  }

  /** Configures {@link MinimumNecessary}. */
  public static final class Builder {
    private final FieldClassification classification;
    private final Map<String, Set<PhiCategory>> visibility = new HashMap<>();
    private boolean keepUnclassified;
    private Set<PhiCategory> emergency = EnumSet.allOf(PhiCategory.class);

    private Builder(FieldClassification classification) {
      this.classification = Objects.requireNonNull(classification, "classification");
    }

    /**
     * Lets {@code role} see PHI of {@code categories}; a role not named sees no PHI. May be called again to add more.
     *
     * @param role the role name, compared exactly with the caller's roles; not blank
     * @param categories the categories it sees; none null. None at all declares a role that sees no PHI
     * @return this builder
     * @throws IllegalArgumentException if {@code role} is null or blank
     * @throws NullPointerException if a category is null
     */
    public Builder role(String role, PhiCategory... categories) {
      if (role == null || role.isBlank()) {
        throw new IllegalArgumentException("a role has a name");
      }
      visibility.computeIfAbsent(role, r -> EnumSet.noneOf(PhiCategory.class)).addAll(List.of(categories));
      return this;
    }

    /**
     * The categories shown under an emergency (break-glass) grant; every category unless set, since break-glass exists
     * to reach clinical data when the ordinary rules would not (the access is audited and alerted).
     *
     * @param categories the categories shown, replacing those set before; none shows no PHI under a grant
     * @return this builder
     * @throws NullPointerException if a category is null
     */
    public Builder emergencyAccess(PhiCategory... categories) {
      emergency = categories.length == 0 ? EnumSet.noneOf(PhiCategory.class) : EnumSet.copyOf(List.of(categories));
      return this;
    }

    /**
     * Keeps fields the classification does not name. <b>Warning:</b> a PHI field added to a response later is then
     * shared with every role until someone classifies it. Off unless set.
     *
     * @return this builder
     */
    public Builder keepUnclassifiedFields() {
      keepUnclassified = true;
      return this;
    }

    /**
     * The filter.
     *
     * @return a new, immutable filter with a copy of what was configured
     */
    public MinimumNecessary build() {
      return new MinimumNecessary(this);
    }
  }
}
