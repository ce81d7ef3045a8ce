package dev.safeguards.compliance;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one component says about itself for the compliance report: which 164.312 specifications it serves, how well
 * (its own assessment), its effective settings, and notes on anything that weakens it. Settings are identifiers,
 * numbers, flags and durations only: never a secret, a key, a token or PHI.
 *
 * @param component a short name of the component, e.g. {@code TokenVerifier (jjwt)}
 * @param assessment the status the component gives each specification it serves
 * @param settings its effective settings: values are {@link String}, {@link Boolean}, {@link Long} or a list of
 *     strings (durations as ISO-8601 text, e.g. {@code PT15M})
 * @param notes what weakens it, in plain words; empty when nothing does
 * @param weaknesses the weak settings the startup self-check refuses unless accepted, each with what it is in words
 *     (e.g. {@code tokens may live PT2H, over one hour}); the component reports its own, so no check depends on a
 *     setting's name
 */
public record Evidence(String component, Map<Specification, Status> assessment, SortedMap<String, Object> settings,
    List<String> notes, Map<Weakness, String> weaknesses) {

  /**
   * Checks and copies every part.
   *
   * @param component a short name of the component; not null
   * @param assessment the status the component gives each specification it serves; copied, no null key or value
   * @param settings its effective settings: a {@link Duration} is stored as its ISO-8601 text and an {@link Integer} as
   *     a {@link Long}; copied into a sorted, unmodifiable map
   * @param notes what weakens it; copied, no null element
   * @param weaknesses the weak settings it reports; copied, no null key or value
   * @throws IllegalArgumentException if a setting is not a string, flag, integer, duration or list of strings (or is
   *     null)
   * @throws NullPointerException if a part, a setting's name, or a key, value or element of {@code assessment},
   *     {@code notes} or {@code weaknesses} is null
   */
  public Evidence {
    Objects.requireNonNull(component, "component");
    assessment = Map.copyOf(assessment);
    SortedMap<String, Object> copy = new TreeMap<>();
    settings.forEach((k, v) -> copy.put(k, checked(k, v)));
    settings = java.util.Collections.unmodifiableSortedMap(copy);
    notes = List.copyOf(notes);
    Map<Weakness, String> weak = new EnumMap<>(Weakness.class);
    weak.putAll(weaknesses);
    weaknesses = java.util.Collections.unmodifiableMap(weak);
  }

  /**
   * Evidence without weak settings.
   *
   * @param component a short name of the component; not null
   * @param assessment the status the component gives each specification it serves
   * @param settings its effective settings, as for the canonical constructor
   * @param notes what weakens it; empty when nothing does
   * @throws IllegalArgumentException if a setting is not a string, flag, integer, duration or list of strings
   */
  public Evidence(String component, Map<Specification, Status> assessment, SortedMap<String, Object> settings,
      List<String> notes) {
    this(component, assessment, settings, notes, Map.of());
  }

  private static Object checked(String key, Object value) {
    Objects.requireNonNull(key, "setting name");
    if (value instanceof Duration d) {
      return d.toString();
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof String || value instanceof Boolean || value instanceof Long) {
      return value;
    }
    if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return List.copyOf(list);
    }
    throw new IllegalArgumentException(
        "setting " + key + " is not a string, flag, number, duration or list of strings");
  }

  /**
   * A stable, readable name for a component's class: its simple name, or for a lambda the class that made it, e.g.
   * {@code AlertSinks (function)}.
   *
   * @param component the component; not null
   * @return its {@link Described#describe()} if it describes itself, else {@code <maker> (function)} for a lambda, else
   *     its class's simple name (empty for an anonymous class)
   */
  public static String nameOf(Object component) {
    if (component instanceof Described d) {
      return d.describe();
    }
    String name = component.getClass().getName();
    int lambda = name.indexOf("$$Lambda");
    if (lambda >= 0) {
      String maker = name.substring(0, lambda);
      return maker.substring(maker.lastIndexOf('.') + 1) + " (function)";
    }
    return component.getClass().getSimpleName();
  }

  /**
   * Starts the evidence of {@code component}.
   *
   * @param component a short name of the component, e.g. {@code TokenVerifier (jjwt)}; not null
   * @return a builder with no specification, setting, note or weakness yet
   */
  public static Builder of(String component) {
    return new Builder(component);
  }

  /** Assembles {@link Evidence}. */
  public static final class Builder {
    private final String component;
    private final Map<Specification, Status> assessment = new EnumMap<>(Specification.class);
    private final SortedMap<String, Object> settings = new TreeMap<>();
    private final List<String> notes = new java.util.ArrayList<>();
    private final Map<Weakness, String> weaknesses = new EnumMap<>(Weakness.class);

    private Builder(String component) {
      this.component = Objects.requireNonNull(component, "component");
    }

    /**
     * The component serves {@code specification} with {@code status}; a second call keeps the weaker status.
     *
     * @param specification a specification the component serves; not null
     * @param status how well it serves it, in the component's own assessment; not null
     * @return this builder
     */
    public Builder serves(Specification specification, Status status) {
      assessment.merge(specification, status, Status::and);
      return this;
    }

    /**
     * An effective setting.
     *
     * @param name the setting's name, e.g. {@code tokens.maxLifetime}; not null. A second call with the same name
     *     replaces the value
     * @param value a {@link String}, {@link Boolean}, {@link Integer}, {@link Long}, {@link Duration} or list of
     *     strings; never a secret, a key, a token or PHI. Checked by {@link #build()}
     * @return this builder
     */
    public Builder setting(String name, Object value) {
      settings.put(name, value);
      return this;
    }

    /**
     * Lowers {@code specification} to {@code status} and says why.
     *
     * @param specification the specification weakened; not null
     * @param status the status it falls to (kept only if weaker than what the component already gives it); not null
     * @param note why, in plain words; not null
     * @return this builder
     */
    public Builder weakens(Specification specification, Status status, String note) {
      serves(specification, status);
      notes.add(note);
      return this;
    }

    /**
     * A weak setting of this component, which the startup self-check refuses unless the application accepts it;
     * {@code what} says what it is, in words (no secret, no PHI).
     *
     * @param weakness the weak setting; not null. A second call for it replaces {@code what}
     * @param what what it is, e.g. {@code tokens may live PT2H, over one hour}; not null
     * @return this builder
     */
    public Builder weakness(Weakness weakness, String what) {
      weaknesses.put(Objects.requireNonNull(weakness, "weakness"), Objects.requireNonNull(what, "what"));
      return this;
    }

    /**
     * The weak settings reported so far (for a component that combines others, such as a fan-out).
     *
     * @return a copy of the weak settings reported so far, each with what it is; empty if none
     */
    public Map<Weakness, String> weaknesses() {
      return Map.copyOf(weaknesses);
    }

    /**
     * A note that changes no status.
     *
     * @param note what the reader should know, in plain words; not null
     * @return this builder
     */
    public Builder note(String note) {
      notes.add(note);
      return this;
    }

    /**
     * The evidence.
     *
     * @return the evidence, a copy: later calls to this builder do not change it
     * @throws IllegalArgumentException if a setting is not a string, flag, integer, duration or list of strings
     * @throws NullPointerException if a note is null
     */
    public Evidence build() {
      return new Evidence(component, assessment, settings, notes, weaknesses);
    }
  }
}
