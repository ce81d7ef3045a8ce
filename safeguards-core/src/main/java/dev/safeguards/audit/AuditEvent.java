package dev.safeguards.audit;

import dev.safeguards.internal.Identifiers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * One audited action: who did what to which resource, when, from where, why, and whether it worked (164.312(b)).
 *
 * <p>The record follows FHIR AuditEvent and the IHE Basic Audit Log Patterns: {@link #action} and {@link #outcome} carry
 * their codes, {@link #type} and {@link #subtype} say which kind of event it is ({@code rest} and the route, {@code
 * login}, {@code break-glass}), and {@link #purposeOfUse} carries HL7 PurposeOfUse codes ({@code TREAT}, {@code ETREAT}
 * under an emergency grant). It holds identifiers, not free text: text parts are identifiers of visible ASCII without
 * spaces, except the access rule (printable text, any script) and an emergency's justification (the words of the person
 * who gave it, control characters replaced, length bounded); search values are keyed hashes, the user agent is cleaned.
 * No value can break a line or forge a record of the log. Make events with {@link AuditEvents}.
 *
 * @param id a UUIDv7, unique per event
 * @param recorded when the event was recorded, UTC, to the millisecond
 * @param action what was done
 * @param type the kind of event, e.g. {@code rest}
 * @param subtype the finer kind, e.g. {@code GET:/patients/{id}}
 * @param outcome whether it worked
 * @param httpStatus the final HTTP status, for a request
 * @param actor who acted, and from where
 * @param purposeOfUse HL7 PurposeOfUse codes, e.g. {@code TREAT} or {@code ETREAT}
 * @param emergencyGrant the id of the break-glass grant the action was taken under, if any
 * @param justification the reason given for an emergency access, in the words of the person who opened it: the one
 *     free-text part of an event, kept in the audit log only (never in alerts or application logs); control
 *     characters become spaces and it is cut to 1000 characters
 * @param entities the resources touched
 * @param rule the access rule that decided, e.g. {@code role:clinician}: printable text of at most {@value #MAX_RULE}
 *     characters, since it may name a role as the identity provider spells it
 * @param requestId the request or trace id that links this event to other logs
 * @param repeated for a summary, how many more requests like this one (same source, route, status and rule) were
 *     refused in a time window and are counted here instead of recorded one by one
 */
public record AuditEvent(
    UUID id,
    Instant recorded,
    AuditAction action,
    String type,
    Optional<String> subtype,
    AuditOutcome outcome,
    OptionalInt httpStatus,
    AuditActor actor,
    List<String> purposeOfUse,
    Optional<String> emergencyGrant,
    Optional<String> justification,
    List<AuditEntity> entities,
    Optional<String> rule,
    Optional<String> requestId,
    Optional<Repetition> repeated) {

  /**
   * How many identical requests a summary event stands for, and when they came: the first and the last, to the
   * millisecond.
   *
   * @param count how many, at least 1
   * @param from when the first of them came
   * @param until when the last came, not before {@code from}
   */
  public record Repetition(long count, Instant from, Instant until) {
    /**
     * Checks the parts.
     *
     * @param count how many, at least 1
     * @param from when the first of them came, to the millisecond; not null
     * @param until when the last came, to the millisecond, not before {@code from}; not null
     * @throws IllegalArgumentException if {@code count} is below 1, a time has more precision than a millisecond, or
     *     {@code until} is before {@code from}
     * @throws NullPointerException if a time is null
     */
    public Repetition {
      if (count < 1) {
        throw new IllegalArgumentException("a repetition counts at least one request");
      }
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(until, "until");
      if (!from.truncatedTo(ChronoUnit.MILLIS).equals(from) || !until.truncatedTo(ChronoUnit.MILLIS).equals(until)) {
        throw new IllegalArgumentException("an audit time is recorded to the millisecond");
      }
      if (until.isBefore(from)) {
        throw new IllegalArgumentException("a repetition ends after it starts");
      }
    }
  }

  /**
   * Checks every part.
   *
   * @param id a UUIDv7, unique per event; not null
   * @param recorded when the event was recorded, to the millisecond; not null
   * @param action what was done; not null
   * @param type the kind of event: 1 to 64 visible ASCII characters
   * @param subtype the finer kind: 1 to 256 visible ASCII characters when present; not null
   * @param outcome whether it worked; not null
   * @param httpStatus the final HTTP status, 100 to 599 when present; not null
   * @param actor who acted; not null
   * @param purposeOfUse PurposeOfUse codes, each 1 to 64 visible ASCII characters; not null; copied
   * @param emergencyGrant the grant's id, 1 to 256 visible ASCII characters when present; not null
   * @param justification the reason for an emergency access, when given; not null. Control characters become spaces,
   *     surrounding space is trimmed and it is cut to 1000 characters; it must not be blank after that
   * @param entities the resources touched; not null, no element null; copied
   * @param rule the access rule that decided, printable text of 1 to {@value #MAX_RULE} characters when present; not
   *     null
   * @param requestId the request or trace id, 1 to 256 visible ASCII characters when present; not null
   * @param repeated the repetition for a summary event, empty otherwise; not null
   * @throws NullPointerException if a part, or an element of {@code purposeOfUse} or {@code entities}, is null
   * @throws IllegalArgumentException if a text part is not an identifier, the status is not in 100..599, or the
   *     time has more precision than a millisecond
   */
  public AuditEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(recorded, "recorded");
    if (!recorded.truncatedTo(ChronoUnit.MILLIS).equals(recorded)) {
      throw new IllegalArgumentException("an audit time is recorded to the millisecond");
    }
    Objects.requireNonNull(action, "action");
    AuditValues.identifier("type", type, 64);
    AuditValues.identifier("subtype", subtype, AuditValues.MAX_IDENTIFIER);
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(httpStatus, "httpStatus");
    httpStatus.ifPresent(AuditOutcome::ofHttpStatus);
    Objects.requireNonNull(actor, "actor");
    purposeOfUse = List.copyOf(purposeOfUse);
    purposeOfUse.forEach(p -> AuditValues.identifier("purposeOfUse", p, 64));
    AuditValues.identifier("emergencyGrant", emergencyGrant, AuditValues.MAX_IDENTIFIER);
    justification = Objects.requireNonNull(justification, "justification").map(AuditValues::justification);
    entities = List.copyOf(entities);
    Objects.requireNonNull(rule, "rule").ifPresent(r -> Identifiers.name("rule", r, MAX_RULE));
    AuditValues.identifier("requestId", requestId, AuditValues.MAX_IDENTIFIER);
    Objects.requireNonNull(repeated, "repeated");
  }

  /**
   * An event that is not a summary.
   *
   * @param id a UUIDv7, unique per event; not null
   * @param recorded when the event was recorded, to the millisecond; not null
   * @param action what was done; not null
   * @param type the kind of event: 1 to 64 visible ASCII characters
   * @param subtype the finer kind, when there is one; not null
   * @param outcome whether it worked; not null
   * @param httpStatus the final HTTP status, for a request; not null
   * @param actor who acted; not null
   * @param purposeOfUse PurposeOfUse codes; not null; copied
   * @param emergencyGrant the grant's id, when taken under one; not null
   * @param justification the reason for an emergency access, when given; not null
   * @param entities the resources touched; not null; copied
   * @param rule the access rule that decided, when known; not null
   * @param requestId the request or trace id, when known; not null
   * @throws IllegalArgumentException as the canonical constructor
   */
  public AuditEvent(UUID id, Instant recorded, AuditAction action, String type, Optional<String> subtype,
      AuditOutcome outcome, OptionalInt httpStatus, AuditActor actor, List<String> purposeOfUse,
      Optional<String> emergencyGrant, Optional<String> justification, List<AuditEntity> entities,
      Optional<String> rule, Optional<String> requestId) {
    this(id, recorded, action, type, subtype, outcome, httpStatus, actor, purposeOfUse, emergencyGrant,
        justification, entities, rule, requestId, Optional.empty());
  }

  /**
   * The longest rule: a rule may name a role ({@code role:Clinic Staff}), and roles are names of up to 256 printable
   * characters.
   */
  public static final int MAX_RULE = 320;

  /**
   * Whether the action was taken under an emergency (break-glass) grant.
   *
   * @return whether {@link #emergencyGrant()} is present
   */
  public boolean isEmergencyAccess() {
    return emergencyGrant.isPresent();
  }

  /** Builds an {@link AuditEvent}; get one from {@link AuditEvents#event}. Not thread-safe. */
  public static final class Builder {
    private final UUID id;
    private final Instant recorded;
    private final AuditAction action;
    private final String type;
    private Optional<String> subtype = Optional.empty();
    private AuditOutcome outcome = AuditOutcome.SUCCESS;
    private OptionalInt httpStatus = OptionalInt.empty();
    private AuditActor actor = AuditActor.anonymous();
    private final List<String> purposeOfUse = new ArrayList<>();
    private Optional<String> emergencyGrant = Optional.empty();
    private Optional<String> justification = Optional.empty();
    private final List<AuditEntity> entities = new ArrayList<>();
    private Optional<String> rule = Optional.empty();
    private Optional<String> requestId = Optional.empty();
    private Optional<Repetition> repeated = Optional.empty();

    Builder(UUID id, Instant recorded, AuditAction action, String type) {
      this.id = id;
      this.recorded = recorded;
      this.action = Objects.requireNonNull(action, "action");
      this.type = AuditValues.identifier("type", type, 64);
    }

    /**
     * The finer kind of event, e.g. the route template.
     *
     * @param value the subtype, e.g. {@code GET:/patients/{id}}: 1 to 256 visible ASCII characters
     * @return this builder
     * @throws IllegalArgumentException if {@code value} is not an identifier
     */
    public Builder subtype(String value) {
      subtype = Optional.of(AuditValues.identifier("subtype", value, AuditValues.MAX_IDENTIFIER));
      return this;
    }

    /**
     * The outcome; {@link AuditOutcome#SUCCESS} unless set.
     *
     * @param value the outcome; not null
     * @return this builder
     */
    public Builder outcome(AuditOutcome value) {
      outcome = Objects.requireNonNull(value, "outcome");
      return this;
    }

    /**
     * The final HTTP status, and the outcome that follows from it ({@link AuditOutcome#ofHttpStatus}).
     *
     * @param status the final HTTP status, 100 to 599; replaces any outcome set before
     * @return this builder
     * @throws IllegalArgumentException if {@code status} is not in 100..599
     */
    public Builder httpStatus(int status) {
      outcome = AuditOutcome.ofHttpStatus(status);
      httpStatus = OptionalInt.of(status);
      return this;
    }

    /**
     * Who acted; {@link AuditActor#anonymous()} unless set.
     *
     * @param value who acted; not null
     * @return this builder
     */
    public Builder actor(AuditActor value) {
      actor = Objects.requireNonNull(value, "actor");
      return this;
    }

    /**
     * Adds an HL7 PurposeOfUse code, e.g. {@code TREAT}.
     *
     * @param code the code: 1 to 64 visible ASCII characters
     * @return this builder
     * @throws IllegalArgumentException if {@code code} is not an identifier
     */
    public Builder purposeOfUse(String code) {
      purposeOfUse.add(AuditValues.identifier("purposeOfUse", code, 64));
      return this;
    }

    /**
     * Marks the action as taken under the emergency grant {@code grantId}.
     *
     * @param grantId the grant's id: 1 to 256 visible ASCII characters
     * @return this builder
     * @throws IllegalArgumentException if {@code grantId} is not an identifier
     */
    public Builder emergencyGrant(String grantId) {
      emergencyGrant = Optional.of(AuditValues.identifier("emergencyGrant", grantId, AuditValues.MAX_IDENTIFIER));
      return this;
    }

    /**
     * The reason given for an emergency access: free text, kept in the audit log only. Only the emergency-access
     * procedure should set it.
     *
     * @param reason the reason, in the words of the person who opened the grant; control characters become spaces and
     *     it is cut to 1000 characters when the event is built
     * @return this builder
     * @throws IllegalArgumentException if it is blank
     */
    public Builder justification(String reason) {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("a justification must not be blank");
      }
      justification = Optional.of(reason);
      return this;
    }

    /**
     * Adds a resource the action touched.
     *
     * @param value the resource; not null
     * @return this builder
     */
    public Builder entity(AuditEntity value) {
      entities.add(Objects.requireNonNull(value, "entity"));
      return this;
    }

    /**
     * Adds the resource {@code type}/{@code id}.
     *
     * @param entityType the kind of resource, e.g. {@code Patient}: 1 to 64 visible ASCII characters
     * @param entityId the resource's id: 1 to 256 visible ASCII characters
     * @return this builder
     * @throws IllegalArgumentException if the type or id is not an identifier
     */
    public Builder entity(String entityType, String entityId) {
      return entity(AuditEntity.of(entityType, entityId));
    }

    /**
     * The access rule that decided.
     *
     * @param value the rule, e.g. {@code role:clinician}: printable text of 1 to {@value AuditEvent#MAX_RULE}
     *     characters, spaces allowed, no control character
     * @return this builder
     * @throws IllegalArgumentException if {@code value} is blank, too long or not printable
     */
    public Builder rule(String value) {
      rule = Optional.of(Identifiers.name("rule", value, MAX_RULE));
      return this;
    }

    /**
     * The request or trace id.
     *
     * @param value the id: 1 to 256 visible ASCII characters
     * @return this builder
     * @throws IllegalArgumentException if {@code value} is not an identifier
     */
    public Builder requestId(String value) {
      requestId = Optional.of(AuditValues.identifier("requestId", value, AuditValues.MAX_IDENTIFIER));
      return this;
    }

    /**
     * Makes this a summary of {@code count} more identical requests that came from {@code from} until {@code until}
     * (times truncated to the millisecond).
     *
     * @param count how many requests the summary stands for, at least 1
     * @param from when the first came; not null
     * @param until when the last came, not before {@code from}; not null
     * @return this builder
     * @throws IllegalArgumentException if {@code count} is below 1 or {@code until} is before {@code from} (after
     *     truncation)
     */
    public Builder repeated(long count, Instant from, Instant until) {
      repeated = Optional.of(new Repetition(count, from.truncatedTo(ChronoUnit.MILLIS),
          until.truncatedTo(ChronoUnit.MILLIS)));
      return this;
    }

    /**
     * The event.
     *
     * @return a new event; the builder may go on to build others
     * @throws IllegalArgumentException if the justification is blank once its control characters are spaces
     */
    public AuditEvent build() {
      return new AuditEvent(id, recorded, action, type, subtype, outcome, httpStatus, actor, purposeOfUse,
          emergencyGrant, justification, entities, rule, requestId, repeated);
    }
  }
}
