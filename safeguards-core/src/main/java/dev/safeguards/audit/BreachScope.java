package dev.safeguards.audit;

import dev.safeguards.identity.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every distinct resource a set of audit events touched, with who touched it, how and when: the list a breach
 * investigation starts from to decide whose records were exposed and who must be notified (164.308(a)(6),
 * 164.400-414). docs/breach-response.md walks through its use.
 *
 * <p>Select the events with an {@link AuditFilter} (a compromised account, a session, a source address, a time
 * window) through {@link AuditReview#breachScope}. Every touch counts, whether it succeeded or not; {@link
 * Resource#successfulAccesses()} separates the touches that could have disclosed data from those that were refused.
 * Exports hold identifiers only, never PHI.
 *
 * @param events how many events were scanned
 * @param resources the resources, sorted by type and id
 * @param unreadable how many more events of a sealed log may belong to the scope but could not be opened, their key
 *     being destroyed (retention ended) or disabled ({@link AuditSealing}): resources they touched are not listed
 */
public record BreachScope(long events, List<Resource> resources, long unreadable) {

  private static final Comparator<UserId> BY_TEXT = Comparator.comparing(UserId::toString);

  /**
   * Copies the list.
   *
   * @param events how many events were scanned, at least 0
   * @param resources the resources; not null, no element null; copied, in the order given
   * @param unreadable how many events could not be opened, at least 0
   * @throws IllegalArgumentException if a count is negative
   */
  public BreachScope {
    resources = List.copyOf(resources);
    if (events < 0 || unreadable < 0) {
      throw new IllegalArgumentException("negative count");
    }
  }

  /**
   * This scope, saying that {@code count} more events may belong to it but could not be opened.
   *
   * @param count how many events could not be opened, at least 0; replaces the count this scope has
   * @return a new scope with the same events and resources
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public BreachScope withUnreadable(long count) {
    return new BreachScope(events, resources, count);
  }

  /**
   * One resource and how it was touched.
   *
   * @param type its type, e.g. {@code Patient}
   * @param id its id
   * @param accesses how many events touched it
   * @param successfulAccesses how many of them succeeded
   * @param firstAccess the earliest
   * @param lastAccess the latest
   * @param actions the actions taken on it
   * @param users the users who touched it, sorted by their text form
   * @param emergencyAccess whether any touch was under an emergency grant
   */
  public record Resource(String type, String id, long accesses, long successfulAccesses, Instant firstAccess,
      Instant lastAccess, Set<AuditAction> actions, SortedSet<UserId> users, boolean emergencyAccess) {

    /**
     * Copies the sets.
     *
     * @param type its type; not null
     * @param id its id; not null
     * @param accesses how many events touched it
     * @param successfulAccesses how many of them succeeded
     * @param firstAccess the earliest
     * @param lastAccess the latest
     * @param actions the actions taken on it; not null; copied
     * @param users the users who touched it; not null; copied and sorted by their text form
     * @param emergencyAccess whether any touch was under an emergency grant
     */
    public Resource {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(id, "id");
      actions = actions.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(actions));
      TreeSet<UserId> sorted = new TreeSet<>(BY_TEXT);
      sorted.addAll(users);
      users = Collections.unmodifiableSortedSet(sorted);
    }
  }

  /**
   * Collects the resources {@code events} touched.
   *
   * @param events the events in scope, already filtered; not null; consumed
   * @return the scope: every event counted, every resource it names listed once, sorted by type and id; no unreadable
   *     events
   */
  public static BreachScope of(Stream<AuditEvent> events) {
    Map<List<String>, Accumulator> byResource = new HashMap<>();
    long[] count = {0};
    events.forEach(e -> {
      count[0]++;
      Set<List<String>> named = new java.util.HashSet<>();
      for (AuditEntity entity : e.entities()) {
        List<String> key = List.of(entity.type(), entity.id());
        if (named.add(key)) { // an event that names a resource twice is one access to it
          byResource.computeIfAbsent(key, k -> new Accumulator()).add(e);
        }
      }
    });
    List<Resource> out = new ArrayList<>();
    byResource.forEach((key, acc) -> out.add(acc.toResource(key.get(0), key.get(1))));
    out.sort(Comparator.comparing(Resource::type).thenComparing(Resource::id));
    return new BreachScope(count[0], out, 0);
  }

  /**
   * Only the resources of {@code type}, e.g. {@code Patient}: the people who may need to be notified.
   *
   * @param type the resource type, compared exactly
   * @return a new scope with the same counts and only those resources
   */
  public BreachScope ofType(String type) {
    return new BreachScope(events, resources.stream().filter(r -> r.type().equals(type)).toList(), unreadable);
  }

  /**
   * The resources as CSV (RFC 4180, CRLF line ends) with a header row:
   * {@code type,id,accesses,successfulAccesses,firstAccess,lastAccess,actions,users,emergencyAccess}. Every field is
   * quoted, and a field starting with {@code = + - @} gets a leading {@code '} so that spreadsheets do not run it.
   *
   * @return the CSV text, a header row and one row per resource, each row ending in CRLF
   */
  public String toCsv() {
    StringBuilder out = new StringBuilder(
        "type,id,accesses,successfulAccesses,firstAccess,lastAccess,actions,users,emergencyAccess\r\n");
    for (Resource r : resources) {
      List<String> fields = List.of(r.type(), r.id(), Long.toString(r.accesses()),
          Long.toString(r.successfulAccesses()), AuditJson.time(r.firstAccess()), AuditJson.time(r.lastAccess()),
          String.join(" ", r.actions().stream().map(AuditAction::code).toList()),
          String.join(" ", r.users().stream().map(UserId::toString).toList()), Boolean.toString(r.emergencyAccess()));
      for (int i = 0; i < fields.size(); i++) {
        String f = fields.get(i);
        if (!f.isEmpty() && "=+-@".indexOf(f.charAt(0)) >= 0) {
          f = "'" + f;
        }
        out.append(i == 0 ? "" : ",").append('"').append(f.replace("\"", "\"\"")).append('"');
      }
      out.append("\r\n");
    }
    return out.toString();
  }

  /**
   * The scope as JSON: {@code {"events":n,"unreadable":n,"resources":[{"type":..,"id":..,"accesses":n,
   * "successfulAccesses":n,
   * "firstAccess":..,"lastAccess":..,"actions":[..],"users":[..],"emergencyAccess":bool},..]}}.
   *
   * @return the JSON text, on one line, printable ASCII
   */
  public String toJson() {
    StringBuilder out = new StringBuilder("{\"events\":").append(events).append(",\"unreadable\":")
        .append(unreadable).append(",\"resources\":[");
    for (int i = 0; i < resources.size(); i++) {
      Resource r = resources.get(i);
      out.append(i == 0 ? "{" : ",{").append("\"type\":");
      AuditJson.string(out, r.type());
      out.append(",\"id\":");
      AuditJson.string(out, r.id());
      out.append(",\"accesses\":").append(r.accesses()).append(",\"successfulAccesses\":")
          .append(r.successfulAccesses()).append(",\"firstAccess\":\"").append(AuditJson.time(r.firstAccess()))
          .append("\",\"lastAccess\":\"").append(AuditJson.time(r.lastAccess())).append("\",\"actions\":[");
      out.append(String.join(",", r.actions().stream().map(a -> '"' + a.code() + '"').toList()));
      out.append("],\"users\":[");
      out.append(String.join(",", r.users().stream().map(u -> '"' + u.toString() + '"').toList()));
      out.append("],\"emergencyAccess\":").append(r.emergencyAccess()).append('}');
    }
    return out.append("]}").toString();
  }

  private static final class Accumulator {
    long accesses;
    long successes;
    Instant first;
    Instant last;
    final EnumSet<AuditAction> actions = EnumSet.noneOf(AuditAction.class);
    final TreeSet<UserId> users = new TreeSet<>(BY_TEXT);
    boolean emergency;

    void add(AuditEvent e) {
      accesses++;
      if (e.outcome() == AuditOutcome.SUCCESS) {
        successes++;
      }
      first = first == null || e.recorded().isBefore(first) ? e.recorded() : first;
      last = last == null || e.recorded().isAfter(last) ? e.recorded() : last;
      actions.add(e.action());
      e.actor().user().ifPresent(users::add);
      emergency |= e.isEmergencyAccess();
    }

    Resource toResource(String type, String id) {
      return new Resource(type, id, accesses, successes, first, last, actions, users, emergency);
    }
  }
}
