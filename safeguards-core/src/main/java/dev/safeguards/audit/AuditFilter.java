package dev.safeguards.audit;

import dev.safeguards.identity.UserId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Selects audit events for review or breach scoping (164.312(b), 164.308(a)(1)(ii)(D)): by user, session, source
 * address, resource, action, outcome and time range. Criteria of different kinds must all match; several values of
 * one kind match any of them. An empty filter matches every event. Immutable and thread-safe.
 */
public final class AuditFilter implements Predicate<AuditEvent> {

  private final Set<UserId> users;
  private final Set<String> sessions;
  private final Set<String> addresses;
  private final Optional<String> resourceType;
  private final Optional<String> resourceId;
  private final Set<AuditAction> actions;
  private final Set<AuditOutcome> outcomes;
  private final Optional<Instant> from;
  private final Optional<Instant> to;
  private final boolean emergencyOnly;

  private AuditFilter(Builder b) {
    this.users = Set.copyOf(b.users);
    this.sessions = Set.copyOf(b.sessions);
    this.addresses = Set.copyOf(b.addresses);
    this.resourceType = b.resourceType;
    this.resourceId = b.resourceId;
    this.actions = b.actions.isEmpty() ? Set.of() : Set.copyOf(b.actions);
    this.outcomes = b.outcomes.isEmpty() ? Set.of() : Set.copyOf(b.outcomes);
    this.from = b.from;
    this.to = b.to;
    this.emergencyOnly = b.emergencyOnly;
  }

  /**
   * A filter that matches every event.
   *
   * @return the empty filter
   */
  public static AuditFilter all() {
    return builder().build();
  }

  /**
   * Starts building a filter.
   *
   * @return a builder with no criterion yet
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code e} matches every criterion. */
  @Override
  public boolean test(AuditEvent e) {
    AuditActor a = e.actor();
    return (users.isEmpty() || a.user().filter(users::contains).isPresent())
        && (sessions.isEmpty() || a.sessionId().filter(sessions::contains).isPresent())
        && (addresses.isEmpty() || a.sourceAddress().filter(addresses::contains).isPresent())
        && (resourceType.isEmpty() || e.entities().stream().anyMatch(this::matchesResource))
        && matchesOutsideIdentity(e);
  }

  /**
   * Whether {@code e} matches the criteria outside who acted and what was touched: action, outcome, time range and
   * emergency access; for an event whose identity cannot be opened.
   */
  boolean matchesOutsideIdentity(AuditEvent e) {
    return (actions.isEmpty() || actions.contains(e.action()))
        && (outcomes.isEmpty() || outcomes.contains(e.outcome()))
        && from.map(f -> !e.recorded().isBefore(f)).orElse(true)
        && to.map(t -> e.recorded().isBefore(t)).orElse(true)
        && (!emergencyOnly || e.isEmergencyAccess());
  }

  Set<UserId> users() {
    return users;
  }

  Set<String> sessions() {
    return sessions;
  }

  Set<String> addresses() {
    return addresses;
  }

  Optional<String> resourceType() {
    return resourceType;
  }

  Optional<String> resourceId() {
    return resourceId;
  }

  /**
   * Whether {@code entity} is the resource (type, and id if given) this filter names; true if it names none.
   *
   * @param entity a resource an event touched; not null
   * @return whether its type, and its id if this filter names one, are those this filter names (compared exactly)
   */
  public boolean matchesResource(AuditEntity entity) {
    return resourceType.map(t -> t.equals(entity.type())).orElse(true)
        && resourceId.map(i -> i.equals(entity.id())).orElse(true);
  }

  /** Configures an {@link AuditFilter}. */
  public static final class Builder {
    private final Set<UserId> users = new HashSet<>();
    private final Set<String> sessions = new HashSet<>();
    private final Set<String> addresses = new HashSet<>();
    private Optional<String> resourceType = Optional.empty();
    private Optional<String> resourceId = Optional.empty();
    private final EnumSet<AuditAction> actions = EnumSet.noneOf(AuditAction.class);
    private final EnumSet<AuditOutcome> outcomes = EnumSet.noneOf(AuditOutcome.class);
    private Optional<Instant> from = Optional.empty();
    private Optional<Instant> to = Optional.empty();
    private boolean emergencyOnly;

    private Builder() {}

    /**
     * Events by {@code user}.
     *
     * @param user the user; not null. Repeatable: events by any of the users given
     * @return this builder
     */
    public Builder user(UserId user) {
      users.add(Objects.requireNonNull(user, "user"));
      return this;
    }

    /**
     * Events in session {@code sessionId}.
     *
     * @param sessionId the session id as recorded: 1 to 256 visible ASCII characters. Repeatable
     * @return this builder
     * @throws IllegalArgumentException if {@code sessionId} is not an identifier
     */
    public Builder session(String sessionId) {
      sessions.add(AuditValues.identifier("session", sessionId, AuditValues.MAX_IDENTIFIER));
      return this;
    }

    /**
     * Events from source address {@code address}, exactly as recorded.
     *
     * @param address the address as recorded: 1 to 64 visible ASCII characters. Repeatable
     * @return this builder
     * @throws IllegalArgumentException if {@code address} is not an identifier
     */
    public Builder sourceAddress(String address) {
      addresses.add(AuditValues.identifier("sourceAddress", address, 64));
      return this;
    }

    /**
     * Events that touched any resource of {@code type}.
     *
     * @param type the kind of resource, e.g. {@code Patient}: 1 to 64 visible ASCII characters; replaces any type set
     *     before
     * @return this builder
     * @throws IllegalArgumentException if {@code type} is not an identifier
     */
    public Builder resourceType(String type) {
      resourceType = Optional.of(AuditValues.identifier("resource type", type, 64));
      return this;
    }

    /**
     * Events that touched the resource {@code type}/{@code id}.
     *
     * @param type the kind of resource: 1 to 64 visible ASCII characters; replaces any type set before
     * @param id the resource's id: 1 to 256 visible ASCII characters; replaces any id set before
     * @return this builder
     * @throws IllegalArgumentException if the type or id is not an identifier
     */
    public Builder resource(String type, String id) {
      resourceType(type);
      resourceId = Optional.of(AuditValues.identifier("resource id", id, AuditValues.MAX_IDENTIFIER));
      return this;
    }

    /**
     * Events with {@code action}.
     *
     * @param action the action; not null. Repeatable: events with any of the actions given
     * @return this builder
     */
    public Builder action(AuditAction action) {
      actions.add(Objects.requireNonNull(action, "action"));
      return this;
    }

    /**
     * Events with {@code outcome}.
     *
     * @param outcome the outcome; not null. Repeatable: events with any of the outcomes given
     * @return this builder
     */
    public Builder outcome(AuditOutcome outcome) {
      outcomes.add(Objects.requireNonNull(outcome, "outcome"));
      return this;
    }

    /**
     * Events recorded at or after {@code instant}.
     *
     * @param instant the start of the range, inclusive; not null; replaces any start set before
     * @return this builder
     */
    public Builder from(Instant instant) {
      from = Optional.of(instant);
      return this;
    }

    /**
     * Events recorded before {@code instant}.
     *
     * @param instant the end of the range, exclusive; not null; replaces any end set before
     * @return this builder
     */
    public Builder to(Instant instant) {
      to = Optional.of(instant);
      return this;
    }

    /**
     * Only events under an emergency (break-glass) grant.
     *
     * @return this builder
     */
    public Builder emergencyOnly() {
      emergencyOnly = true;
      return this;
    }

    /**
     * The filter.
     *
     * @return the filter; the builder may go on to build others
     * @throws IllegalArgumentException if the time range ends before it starts
     */
    public AuditFilter build() {
      if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
        throw new IllegalArgumentException("the time range ends before it starts");
      }
      return new AuditFilter(this);
    }
  }
}
