package dev.safeguards.audit;

import dev.safeguards.identity.UserId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The subjects of audit events as keys a store of the log can index them by, so that one subject's events (a
 * patient's history, one user's actions) are found without reading the whole log: {@code user:}, {@code session:},
 * {@code address:} and {@code entity:} keys. In a log that seals identities (docs/audit-log-format.md section 7.1) a
 * key holds the event's blind-index token, never the identifier; in a log in the clear it holds the identifier
 * ({@code entity:<type>/<id>}), which the record holds too.
 *
 * <p>A store keeps each event's keys beside it ({@link #encode}); a review asks for the keys of its filter's most
 * selective identifying criterion ({@link #candidates}) and checks every candidate with the filter, so an index can
 * only narrow what is read, never decide what matches.
 */
public final class AuditSubjects {

  static final String ENTITY = "entity:";

  private AuditSubjects() {}

  /** An audit event object (section 7) and the keys of its subjects. */
  public record Encoded(byte[] eventObject, List<String> subjects) {
    /**
     * Copies the list.
     *
     * @param eventObject the event object's bytes; not null; kept as given, not copied
     * @param subjects the keys of its subjects, e.g. {@code user:<id>} or {@code entity:<token>}; not null; copied
     */
    public Encoded {
      Objects.requireNonNull(eventObject, "eventObject");
      subjects = List.copyOf(subjects);
    }
  }

  /**
   * The event object of {@code event} as {@link AuditRecords#eventObject} encodes it (sealed by {@code sealing} for the
   * log {@code origin}, or in the clear if it is null), with the keys of its subjects; a sealed event's keys are the
   * very tokens its index member holds.
   *
   * @param event the event; not null
   * @param sealing the log's sealing keys; null to write identities in the clear
   * @param origin the log's origin, which sealed members are bound to; not null
   * @return the event object and its subject keys (one per user, session, address and resource it names)
   */
  public static Encoded encode(AuditEvent event, AuditSealing sealing, String origin) {
    List<String> subjects = new ArrayList<>(4);
    byte[] object = AuditJson.encode(Objects.requireNonNull(event, "event"), sealing,
        Objects.requireNonNull(origin, "origin"), subjects);
    return new Encoded(object, subjects);
  }

  /**
   * The keys of the events {@code filter} may match by its most selective identifying criterion: a resource, else
   * its users, else its sessions, else its source addresses; every enabled index key's token of each when {@code
   * sealing} is given (the log seals identities). Empty if the filter has no such criterion: then every event is a
   * candidate.
   *
   * @param filter the review's filter; not null
   * @param sealing the log's sealing keys; null for a log in the clear
   * @return the keys, any of which an event must have to match; empty when no index can narrow the filter
   */
  public static Optional<Set<String>> candidates(AuditFilter filter, AuditSealing sealing) {
    Objects.requireNonNull(filter, "filter");
    if (sealing != null) {
      AuditSealing.Prefilter p = sealing.prefilter(filter);
      return p.resources() != null ? Optional.of(prefixed(ENTITY, p.resources()))
          : p.users() != null ? Optional.of(prefixed("user:", p.users()))
          : p.sessions() != null ? Optional.of(prefixed("session:", p.sessions()))
          : p.addresses() != null ? Optional.of(prefixed("address:", p.addresses()))
          : Optional.empty();
    }
    if (filter.resourceId().isPresent()) {
      return Optional.of(Set.of(ENTITY + filter.resourceType().orElseThrow() + "/" + filter.resourceId().get()));
    }
    if (!filter.users().isEmpty()) {
      return Optional.of(prefixed("user:", filter.users().stream().map(UserId::toString).toList()));
    }
    if (!filter.sessions().isEmpty()) {
      return Optional.of(prefixed("session:", filter.sessions()));
    }
    if (!filter.addresses().isEmpty()) {
      return Optional.of(prefixed("address:", filter.addresses()));
    }
    return Optional.empty();
  }

  /** The keys of an event in the clear. */
  static void clear(AuditEvent e, List<String> out) {
    AuditActor a = e.actor();
    a.user().ifPresent(u -> out.add("user:" + u));
    a.sessionId().ifPresent(s -> out.add("session:" + s));
    a.sourceAddress().ifPresent(s -> out.add("address:" + s));
    for (AuditEntity entity : e.entities()) {
      out.add(ENTITY + entity.type() + "/" + entity.id());
    }
  }

  private static Set<String> prefixed(String prefix, java.util.Collection<String> values) {
    Set<String> out = new HashSet<>();
    values.forEach(v -> out.add(prefix + v));
    return out;
  }
}
