package dev.safeguards.access;

import dev.safeguards.alert.Alert;
import dev.safeguards.alert.AlertException;
import dev.safeguards.alert.AlertSink;
import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditActor;
import dev.safeguards.audit.AuditEntity;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditOutcome;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The emergency access procedure ("break-glass"), 164.312(a)(2)(ii): in an emergency a user in an eligible role can
 * reach records their ordinary rules do not allow, but never silently.
 *
 * <p>{@link #open} requires an eligible role and a reason a reviewer can read ({@link EmergencyRequest}); it writes the
 * opening to the audit log (with the reason, which is kept nowhere else), then raises a critical alert, and only then
 * stores the grant: an opening that cannot be audited is never alerted nor opened, and one whose alert cannot be sent
 * is not opened either (the log records it as revoked at once, rule {@code break-glass:alert-failed}). A grant covers one
 * resource or every resource of one type, for a limited time (60 minutes unless configured, never beyond the configured
 * maximum), and can be revoked. {@link AccessPolicy} consults it when the ordinary rules deny, and marks each access it
 * allows with the grant, so that every access under it is flagged in its audit event. {@link #reviewQueue} lists, from
 * the audit log, the grants awaiting review with who, when, why and what was accessed; {@link #markReviewed} closes
 * one. If the audit record or the alert cannot be written, the grant is not opened (fail closed). Thread-safe.
 */
public final class EmergencyAccess {

  /** The audit event type of every break-glass event; subtypes are {@code open}, {@code revoke}, {@code review}. */
  public static final String AUDIT_TYPE = "break-glass";

  private final Clock clock;
  private final AuditSink audit;
  private final AlertSink alerts;
  private final AuditEvents events;
  private final Set<String> eligibleRoles;
  private final Set<String> reviewerRoles;
  private final Set<Permission> permissions;
  private final String resourceType;
  private final Duration defaultDuration;
  private final Duration maxDuration;
  private final EmergencyGrantStore store;

  private EmergencyAccess(Builder b) {
    this.clock = b.clock;
    this.audit = b.audit;
    this.alerts = b.alerts;
    this.events = AuditEvents.create(b.clock);
    this.eligibleRoles = Set.copyOf(b.eligibleRoles);
    this.reviewerRoles = Set.copyOf(b.reviewerRoles);
    this.permissions = Set.copyOf(b.permissions);
    this.resourceType = b.resourceType;
    this.defaultDuration = b.defaultDuration;
    this.maxDuration = b.maxDuration;
    this.store = b.store;
  }

  /**
   * Starts configuring the procedure; opening, revoking and reviewing are audited to {@code audit}.
   *
   * @param clock the clock grants are opened, expire and are checked by; not null
   * @param audit where openings, refusals, revocations and reviews are recorded; not null
   * @param alerts where each opening (critical) and each refused attempt (warning) is alerted; not null
   * @return a new builder
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(Clock clock, AuditSink audit, AlertSink alerts) {
    return new Builder(clock, audit, alerts);
  }

  /**
   * Its settings for the compliance report (164.312(a)(2)(ii)).
   *
   * @return new evidence: roles, permissions, resource type, durations and the alert sink
   */
  public Evidence evidence() {
    return Evidence.of("EmergencyAccess").serves(Specification.EMERGENCY_ACCESS, Status.MET)
        .setting("eligibleRoles", eligibleRoles.stream().sorted().toList())
        .setting("reviewerRoles", reviewerRoles.stream().sorted().toList())
        .setting("permissions", permissions.stream().map(Permission::toString).sorted().toList())
        .setting("resourceType", resourceType).setting("defaultDuration", defaultDuration)
        .setting("maxDuration", maxDuration).setting("alertSink", Evidence.nameOf(alerts))
        .setting("audited", true).build();
  }

  /**
   * Opens an emergency grant for {@code principal}.
   *
   * @param principal who asks; the grant is theirs alone. Not null
   * @param request which resource, why, for what purpose and how long; not null
   * @return the grant, stored and in force from now until its expiry
   * @throws AccessDeniedException if the principal holds no eligible role (the attempt is audited and alerted)
   * @throws IllegalArgumentException if the request asks for longer than the configured maximum, or its resource id
   *     is not an identifier
   * @throws AlertException if the alert could not be sent; nothing is opened. For an ineligible principal, the
   *     refusal was audited but not alerted
   * @throws AuditException if the opening (or the refusal) could not be audited; nothing is opened or alerted
   * @throws dev.safeguards.StateUnavailableException if a shared grant store cannot store the grant; it was audited
   *     and alerted as opened, is not in force, and the log records that at once (a {@code revoke} event with rule
   *     {@code break-glass:store-failed})
   */
  public EmergencyGrant open(Principal principal, EmergencyRequest request)
      throws AccessDeniedException, AlertException, AuditException {
    Duration duration = request.duration().orElse(defaultDuration);
    if (duration.compareTo(maxDuration) > 0) {
      throw new IllegalArgumentException("an emergency grant lasts at most " + maxDuration);
    }
    request.resourceId().ifPresent(id -> new ResourceRef(resourceType, id));
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    AuditActor actor = actor(principal, request.sourceAddress());
    String scope = request.resourceId().orElse("*");
    if (principal.roles().stream().noneMatch(eligibleRoles::contains)) {
      audit.record(events.event(AuditAction.EMERGENCY_ACCESS, AUDIT_TYPE).subtype("open").actor(actor)
          .outcome(AuditOutcome.MINOR_FAILURE).rule("break-glass:ineligible-role").purposeOfUse(request.purposeOfUse())
          .justification(request.reason()).entity(resourceType, scope).build());
      alerts.send(Alert.of(now, Alert.Severity.WARNING, "break-glass-refused",
          Map.of("user", principal.userId().toString(), "resourceType", resourceType, "resource", scope)));
      throw new AccessDeniedException("no role of this user may open an emergency grant");
    }
    EmergencyGrant grant = new EmergencyGrant("eg-" + UUID.randomUUID(), principal.userId(), resourceType,
        request.resourceId(), permissions, request.purposeOfUse(), now, now.plus(duration), Optional.empty());
    Map<String, String> subject = new LinkedHashMap<>();
    subject.put("grant", grant.id());
    subject.put("user", principal.userId().toString());
    subject.put("resourceType", resourceType);
    subject.put("resource", scope);
    subject.put("expires", grant.expiresAt().toString());
    // Recorded first: an opening that cannot be audited never alerts and never opens.
    audit.record(events.event(AuditAction.EMERGENCY_ACCESS, AUDIT_TYPE).subtype("open").actor(actor)
        .rule("break-glass:" + grant.id()).purposeOfUse(request.purposeOfUse()).emergencyGrant(grant.id())
        .justification(request.reason()).entity(resourceType, scope).build());
    try {
      alerts.send(Alert.of(now, Alert.Severity.CRITICAL, "break-glass-opened", subject));
    } catch (AlertException | RuntimeException e) {
      // Nobody would know: the grant is not opened, and the log says so right after the opening it recorded.
      notOpened(actor, grant, scope, "break-glass:alert-failed");
      throw e instanceof AlertException a ? a : new AlertException("the break-glass alert could not be sent", e);
    }
    try {
      store.put(grant);
    } catch (RuntimeException e) {
      // Audited and alerted as opened, but never in force: the log says so, so that no review takes it for one.
      notOpened(actor, grant, scope, "break-glass:store-failed");
      throw e;
    }
    return grant;
  }

  /** Records, right after its opening, that {@code grant} never came into force (best effort: the opening is there). */
  private void notOpened(AuditActor actor, EmergencyGrant grant, String scope, String rule) {
    try {
      audit.record(events.event(AuditAction.EMERGENCY_ACCESS, AUDIT_TYPE).subtype("revoke").actor(actor)
          .outcome(AuditOutcome.MINOR_FAILURE).rule(rule).emergencyGrant(grant.id()).entity(resourceType, scope)
          .build());
    } catch (AuditException ignored) {
      // the opening is recorded; the grant never existed in the store
    }
  }

  /**
   * Ends a grant now. Revoking an expired or revoked grant changes nothing and records nothing. Any principal may
   * revoke any grant: revoking only takes access away.
   *
   * @param grantId the grant's id
   * @param by who revokes it, for the audit log; not null
   * @return the grant as it now stands, or empty if there is none with that id
   * @throws AuditException if the revocation could not be audited; the grant is revoked anyway
   * @throws dev.safeguards.StateUnavailableException if a shared grant store cannot answer
   */
  public Optional<EmergencyGrant> revoke(String grantId, Principal by) throws AuditException {
    Optional<EmergencyGrant> found = store.find(grantId);
    if (found.isEmpty()) {
      return found;
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    EmergencyGrant grant = found.get();
    if (!grant.activeAt(now)) {
      return found;
    }
    EmergencyGrant revoked = grant.revoked(now);
    store.put(revoked);
    audit.record(events.event(AuditAction.EMERGENCY_ACCESS, AUDIT_TYPE).subtype("revoke")
        .actor(AuditActor.of(by)).emergencyGrant(grantId).rule("break-glass:revoked").build());
    return Optional.of(revoked);
  }

  /**
   * Records that a grant was reviewed, with the reviewer's finding (an identifier such as {@code justified} or {@code
   * unjustified}); it leaves the review queue.
   *
   * @param grantId the grant's id; the grant store must still hold it
   * @param reviewer who reviewed it: holds a reviewer role and is not the grant's user
   * @param finding the finding, kept in the audit event's rule ({@code break-glass:review:<finding>}): printable
   *     text, no control characters
   * @throws AccessDeniedException if the reviewer holds no reviewer role, or reviews their own grant
   * @throws IllegalArgumentException if the store holds no such grant (for example one the in-memory store lost on
   *     restart: {@link #markReviewed(EmergencyReviewItem, Principal, String)} reviews those), or the finding is not
   *     printable text
   * @throws AuditException if the review could not be audited
   * @throws dev.safeguards.StateUnavailableException if a shared grant store cannot answer
   */
  public void markReviewed(String grantId, Principal reviewer, String finding)
      throws AccessDeniedException, AuditException {
    EmergencyGrant grant = store.find(grantId)
        .orElseThrow(() -> new IllegalArgumentException("no emergency grant " + grantId));
    review(grant.id(), grant.user(), reviewer, finding);
  }

  /**
   * Records that the grant of a {@link #reviewQueue} item was reviewed, as {@link #markReviewed(String, Principal,
   * String)} does, also when the grant store no longer holds the grant: an in-memory store after a restart, a shared
   * store some time after the grant ended. The item, read from the audit log, names the grant's user; if the store
   * still holds the grant, its user must be the item's.
   *
   * @param item the queue item; not null
   * @param reviewer who reviewed it: holds a reviewer role and is not the grant's user
   * @param finding the finding, as for {@link #markReviewed(String, Principal, String)}
   * @throws AccessDeniedException if the reviewer holds no reviewer role, or reviews their own grant
   * @throws IllegalArgumentException if the store holds the grant with another user, or the finding is not printable
   *     text
   * @throws AuditException if the review could not be audited
   * @throws dev.safeguards.StateUnavailableException if a shared grant store cannot answer
   */
  public void markReviewed(EmergencyReviewItem item, Principal reviewer, String finding)
      throws AccessDeniedException, AuditException {
    store.find(item.grantId()).filter(g -> !g.user().equals(item.user())).ifPresent(g -> {
      throw new IllegalArgumentException("the emergency grant " + item.grantId() + " is not this item's");
    });
    review(item.grantId(), item.user(), reviewer, finding);
  }

  private void review(String grantId, UserId grantUser, Principal reviewer, String finding)
      throws AccessDeniedException, AuditException {
    if (reviewer.roles().stream().noneMatch(reviewerRoles::contains)) {
      throw new AccessDeniedException("no role of this user may review emergency grants");
    }
    if (grantUser.equals(reviewer.userId())) {
      throw new AccessDeniedException("nobody reviews their own emergency grant");
    }
    audit.record(events.event(AuditAction.EMERGENCY_ACCESS, AUDIT_TYPE).subtype("review")
        .actor(AuditActor.of(reviewer)).emergencyGrant(grantId).rule("break-glass:review:" + finding).build());
  }

  /**
   * The grant of {@code principal} in force now that covers {@code permission} on {@code resource}, if any.
   *
   * @param principal who asks; not null
   * @param permission what they ask to do
   * @param resource the resource
   * @return an active grant that covers it (the first the store lists if several do); empty if none
   * @throws dev.safeguards.StateUnavailableException if a shared grant store cannot answer
   */
  public Optional<EmergencyGrant> activeGrant(Principal principal, Permission permission, ResourceRef resource) {
    Instant now = clock.instant();
    return store.forUser(principal.userId()).stream()
        .filter(g -> g.activeAt(now) && g.covers(permission, resource))
        .findFirst();
  }

  /**
   * The grants awaiting review, oldest first, read from audit events (e.g. {@code AuditReview.events(...)}): every
   * grant opened and not yet reviewed, with who opened it, when, why, and every resource accessed under it.
   * Revoked and expired grants stay in the queue until reviewed.
   *
   * @param auditEvents the audit events to read, in the order they were recorded; consumed. Events without an
   *     emergency grant are skipped
   * @return a new, modifiable list in the order the openings appear; empty if every grant was reviewed
   */
  public static List<EmergencyReviewItem> reviewQueue(Stream<AuditEvent> auditEvents) {
    Map<String, AuditEvent> opened = new LinkedHashMap<>();
    Map<String, Set<ResourceRef>> accessed = new LinkedHashMap<>();
    Map<String, Instant> revoked = new LinkedHashMap<>();
    Set<String> reviewed = new HashSet<>();
    auditEvents.forEach(e -> {
      if (e.emergencyGrant().isEmpty()) {
        return;
      }
      String grant = e.emergencyGrant().get();
      boolean breakGlass = e.action() == AuditAction.EMERGENCY_ACCESS && e.type().equals(AUDIT_TYPE);
      String subtype = e.subtype().orElse("");
      if (breakGlass && subtype.equals("open") && e.outcome() == AuditOutcome.SUCCESS) {
        opened.put(grant, e);
      } else if (breakGlass && subtype.equals("revoke")) {
        revoked.put(grant, e.recorded());
      } else if (breakGlass && subtype.equals("review")) {
        reviewed.add(grant);
      } else if (!breakGlass) {
        for (AuditEntity entity : e.entities()) {
          accessed.computeIfAbsent(grant, g -> new LinkedHashSet<>()).add(new ResourceRef(entity.type(), entity.id()));
        }
      }
    });
    List<EmergencyReviewItem> queue = new ArrayList<>();
    opened.forEach((grant, e) -> {
      if (reviewed.contains(grant) || e.actor().user().isEmpty()) {
        return;
      }
      AuditEntity scope = e.entities().isEmpty() ? null : e.entities().get(0);
      queue.add(new EmergencyReviewItem(grant, e.actor().user().get(), e.recorded(),
          e.purposeOfUse().isEmpty() ? "" : e.purposeOfUse().get(0), e.justification().orElse(""),
          scope == null ? "" : scope.type(),
          scope == null || scope.id().equals("*") ? Optional.empty() : Optional.of(scope.id()),
          List.copyOf(accessed.getOrDefault(grant, Set.of())), Optional.ofNullable(revoked.get(grant))));
    });
    return queue;
  }

  private static AuditActor actor(Principal principal, Optional<String> address) {
    AuditActor actor = AuditActor.of(principal);
    return address.map(actor::from).orElse(actor);
  }

  /** Configures {@link EmergencyAccess}. */
  public static final class Builder {
    private final Clock clock;
    private final AuditSink audit;
    private final AlertSink alerts;
    private final Set<String> eligibleRoles = new HashSet<>();
    private final Set<String> reviewerRoles = new HashSet<>();
    private final Set<Permission> permissions = new HashSet<>();
    private String resourceType = "Patient";
    private Duration defaultDuration = Duration.ofMinutes(60);
    private Duration maxDuration = Duration.ofHours(4);
    private EmergencyGrantStore store = EmergencyGrantStore.inMemory();

    private Builder(Clock clock, AuditSink audit, AlertSink alerts) {
      this.clock = Objects.requireNonNull(clock, "clock");
      this.audit = Objects.requireNonNull(audit, "audit");
      this.alerts = Objects.requireNonNull(alerts, "alerts");
    }

    /**
     * The roles that may open a grant; at least one is required. May be called again to add more.
     *
     * @param roles role names, compared exactly with the principal's; none null
     * @return this builder
     * @throws NullPointerException if a role is null
     */
    public Builder eligibleRoles(String... roles) {
      eligibleRoles.addAll(List.of(roles));
      return this;
    }

    /**
     * The roles that may review grants; at least one is required. May be called again to add more. Nobody reviews
     * their own grant, whatever their roles.
     *
     * @param roles role names, compared exactly with the principal's; none null
     * @return this builder
     * @throws NullPointerException if a role is null
     */
    public Builder reviewerRoles(String... roles) {
      reviewerRoles.addAll(List.of(roles));
      return this;
    }

    /**
     * What a grant allows, e.g. {@code patient:read}; at least one is required. May be called again to add more.
     *
     * @param values permissions as {@code resource:action}; none null
     * @return this builder
     * @throws IllegalArgumentException if a permission is malformed
     * @throws NullPointerException if a permission is null
     */
    public Builder permissions(String... values) {
      for (String p : values) {
        permissions.add(Permission.parse(p));
      }
      return this;
    }

    /**
     * The type of resource grants cover; {@code Patient} unless set.
     *
     * @param type the resource type: 1 to 64 visible ASCII characters
     * @return this builder
     * @throws IllegalArgumentException if {@code type} is not an identifier
     * @throws NullPointerException if {@code type} is null
     */
    public Builder resourceType(String type) {
      resourceType = new ResourceRef(type, "x").type();
      return this;
    }

    /**
     * How long a grant lasts unless the request says; 60 minutes unless set.
     *
     * @param value the duration; positive, and at most {@link #maxDuration} (checked by {@link #build})
     * @return this builder
     * @throws IllegalArgumentException unless positive
     */
    public Builder defaultDuration(Duration value) {
      defaultDuration = positive(value);
      return this;
    }

    /**
     * The longest a grant may last; 4 hours unless set. A request for longer is refused.
     *
     * @param value the duration; positive
     * @return this builder
     * @throws IllegalArgumentException unless positive
     */
    public Builder maxDuration(Duration value) {
      maxDuration = positive(value);
      return this;
    }

    /**
     * Where grants are kept; in this process's memory unless set. Several nodes need a shared store, or a grant
     * opened on one is unknown to the others.
     *
     * @param value the store; not null
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder store(EmergencyGrantStore value) {
      store = Objects.requireNonNull(value, "store");
      return this;
    }

    private static Duration positive(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("a grant duration is positive");
      }
      return d;
    }

    /**
     * The procedure.
     *
     * @return a new procedure with a copy of what was configured
     * @throws IllegalStateException if no eligible role, reviewer role or permission is set, or the default duration
     *     exceeds the maximum
     */
    public EmergencyAccess build() {
      if (eligibleRoles.isEmpty() || reviewerRoles.isEmpty() || permissions.isEmpty()) {
        throw new IllegalStateException("emergency access needs eligible roles, reviewer roles and permissions");
      }
      if (defaultDuration.compareTo(maxDuration) > 0) {
        throw new IllegalStateException("the default grant duration exceeds the maximum");
      }
      return new EmergencyAccess(this);
    }
  }
}
