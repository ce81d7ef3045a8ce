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

  /** Checks and copies every part. */
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

  /** Evidence without weak settings. */
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

  /** Starts the evidence of {@code component}. */
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

    /** The component serves {@code specification} with {@code status}; a second call keeps the weaker status. */
    public Builder serves(Specification specification, Status status) {
      assessment.merge(specification, status, Status::and);
      return this;
    }

    /** An effective setting. */
    public Builder setting(String name, Object value) {
      settings.put(name, value);
      return this;
    }

    /** Lowers {@code specification} to {@code status} and says why. */
    public Builder weakens(Specification specification, Status status, String note) {
      serves(specification, status);
      notes.add(note);
      return this;
    }

    /**
     * A weak setting of this component, which the startup self-check refuses unless the application accepts it;
     * {@code what} says what it is, in words (no secret, no PHI).
     */
    public Builder weakness(Weakness weakness, String what) {
      weaknesses.put(Objects.requireNonNull(weakness, "weakness"), Objects.requireNonNull(what, "what"));
      return this;
    }

    /** The weak settings reported so far (for a component that combines others, such as a fan-out). */
    public Map<Weakness, String> weaknesses() {
      return Map.copyOf(weaknesses);
    }

    /** A note that changes no status. */
    public Builder note(String note) {
      notes.add(note);
      return this;
    }

    /** The evidence. */
    public Evidence build() {
      return new Evidence(component, assessment, settings, notes, weaknesses);
    }
  }
}
