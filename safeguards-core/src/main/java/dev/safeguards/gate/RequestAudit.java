package dev.safeguards.gate;

import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditEntity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the application adds to its request's one audit event (164.312(b)): the gate knows the route, only the
 * application knows which records a search returned or which id a create made. Request-scoped: the servlet adapter
 * hands it out with {@code SafeguardsFilter.audit(request)}, the JAX-RS adapter with {@code
 * SafeguardsFeature.audit(securityContext)}. Each value is checked when it is named, so a bad one fails the
 * application's own call (and so the request, with an audited 500) instead of the event. Not thread-safe: call it
 * from the thread handling the request.
 */
public final class RequestAudit {

  /** The most records one event names; a request that touches more must be paged. */
  public static final int MAX_ENTITIES = 1000;

  private AuditAction action;
  private final Set<AuditEntity> entities = new LinkedHashSet<>();
  private volatile boolean written;

  RequestAudit() {}

  /** Called when the event is written: later names would be lost, so they are refused. */
  void written() {
    written = true;
  }

  private void open() {
    if (written) {
      throw new IllegalStateException("this request's audit event is already written");
    }
  }

  /**
   * Records the request under {@code action} instead of the route's (e.g. {@link AuditAction#SEARCH} for a {@code
   * POST} that searches); the last call wins.
   *
   * @param value the action to record; not null
   * @return this object, for chaining
   * @throws IllegalStateException if the request's event is already written
   * @throws NullPointerException if {@code value} is null
   */
  public RequestAudit action(AuditAction value) {
    open();
    action = Objects.requireNonNull(value, "action");
    return this;
  }

  /**
   * Names a record the request read, returned, created, changed or deleted: its type and id (identifiers, never PHI).
   * Naming one twice records it once.
   *
   * @param type the record's type, e.g. {@code Patient}
   * @param id the record's id, e.g. a UUID; an identifier, never a value from the record
   * @return this object, for chaining
   * @throws IllegalArgumentException if the type or id is not an identifier (1 to 64 and 1 to 256 visible ASCII
   *     characters)
   * @throws IllegalStateException if the request already names {@value #MAX_ENTITIES} records, or its event is already
   *     written
   * @throws NullPointerException if {@code type} or {@code id} is null
   */
  public RequestAudit entity(String type, String id) {
    open();
    AuditEntity entity = AuditEntity.of(type, id);
    if (!entities.contains(entity) && entities.size() >= MAX_ENTITIES) {
      throw new IllegalStateException("one audit event names at most " + MAX_ENTITIES + " records; page the results");
    }
    entities.add(entity);
    return this;
  }

  Optional<AuditAction> action() {
    return Optional.ofNullable(action);
  }

  List<AuditEntity> entities() {
    return new ArrayList<>(entities);
  }
}
