package dev.safeguards.alert;

import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditEntity;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditOutcome;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.compliance.Evidence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Watches the audit stream and raises alerts on patterns a person must look at (164.308(a)(1)(ii)(D), 164.312(b)).
 * Add it to the audit pipeline with {@code AuditSinks.fanOut(log, detector)}.
 *
 * <ul>
 *   <li><b>denial bursts</b>: {@code n} refused requests (HTTP 403) by one user, or from one address, within a window;
 *   <li><b>bulk reads</b>: one user reading, searching or exporting {@code n} distinct resources of a type (patients)
 *       within a window;
 *   <li><b>authentication failure spikes</b>: {@code n} failed logins or HTTP 401 answers from one address, or in all,
 *       within a window;
 *   <li><b>emergency access</b>: the first access under each emergency grant (the opening itself is alerted by the
 *       emergency procedure);
 *   <li><b>integrity violations</b>: every failed event of type {@value #INTEGRITY_TYPE} (a bad digest or signature).
 * </ul>
 * Time is the events' recorded time, so detection needs no clock of its own. After an alert, the same pattern for the
 * same key is quiet for one window. Alerts carry identifiers and counts, never PHI. An alert that cannot be sent is
 * logged and counted ({@link #unsent()}, and in the evidence), never thrown into the request: the events themselves
 * are recorded by the audit log, and a detector must not turn a slow or full alert channel into refused requests.
 * Give it an {@link AsyncAlertSink} (as {@code Safeguards.Builder.alerts} does) so that sending never waits. A summary
 * event (one standing for repeated refusals) counts as the requests it stands for. At most 100,000 keys are tracked per
 * detector; the least recently seen are forgotten first. Thread-safe.
 */
public final class AnomalyDetector implements AuditSink {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AnomalyDetector.class);

  /** The audit event type the gate uses for a failed digest or signature check. */
  public static final String INTEGRITY_TYPE = "integrity";

  private static final int MAX_KEYS = 100_000;
  private static final Set<AuditAction> READS = EnumSet.of(AuditAction.READ, AuditAction.SEARCH, AuditAction.EXPORT);

  private final AlertSink alerts;
  private final Threshold denials;
  private final Threshold bulkReads;
  private final String bulkType;
  private final Threshold authFailures;
  private final boolean emergency;
  private final boolean integrity;

  private final Map<String, Window> windows = lru();
  private final Map<String, DistinctWindow> distinct = lru();
  private final Map<String, Boolean> grantsSeen = lru();
  private final java.util.concurrent.atomic.AtomicLong unsent = new java.util.concurrent.atomic.AtomicLong();

  private record Threshold(int count, Duration window) {}

  private AnomalyDetector(Builder b) {
    this.alerts = b.alerts;
    this.denials = b.denials;
    this.bulkReads = b.bulkReads;
    this.bulkType = b.bulkType;
    this.authFailures = b.authFailures;
    this.emergency = b.emergency;
    this.integrity = b.integrity;
  }

  /** Its thresholds; it records nothing itself, so it serves no specification alone. */
  @Override
  public Evidence evidence() {
    Evidence.Builder e = Evidence.of("AnomalyDetector").setting("alertSink", Evidence.nameOf(alerts))
        .setting("emergencyAccessAlerts", emergency).setting("integrityAlerts", integrity)
        .setting("unsentAlerts", unsent.get());
    threshold(e, "denials", denials);
    threshold(e, "bulkReads", bulkReads);
    threshold(e, "authenticationFailures", authFailures);
    return e.build();
  }

  private static void threshold(Evidence.Builder e, String name, Threshold t) {
    if (t != null) {
      e.setting(name, t.count() + " in " + t.window());
    }
  }

  /**
   * Starts configuring a detector that sends to {@code alerts}, with the documented default thresholds.
   *
   * @param alerts where the detector's alerts go, called on the recording thread: an {@link AsyncAlertSink} keeps
   *     that from waiting; not null
   * @return a builder with every pattern enabled at its default threshold
   * @throws NullPointerException if {@code alerts} is null
   */
  public static Builder builder(AlertSink alerts) {
    return new Builder(alerts);
  }

  @Override
  public synchronized void record(AuditEvent e) throws AuditException {
    Instant t = e.recorded();
    String user = e.actor().user().map(Object::toString).orElse(null);
    String address = e.actor().sourceAddress().orElse(null);
    int status = e.httpStatus().orElse(0);
    long weight = e.repeated().map(r -> r.count()).orElse(0L) + 1; // a summary stands for that many more requests
    if (status == 403) {
      count("denial-burst", "user", user, t, weight, denials, Alert.Severity.WARNING);
      count("denial-burst", "address", address, t, weight, denials, Alert.Severity.WARNING);
    }
    boolean authFailure = status == 401
        || e.action() == AuditAction.LOGIN && e.outcome() != AuditOutcome.SUCCESS;
    if (authFailure) {
      count("authentication-failure-spike", "address", address, t, weight, authFailures, Alert.Severity.WARNING);
      count("authentication-failure-spike", "scope", "all", t, weight, authFailures, Alert.Severity.CRITICAL);
    }
    if (user != null && READS.contains(e.action()) && e.outcome() == AuditOutcome.SUCCESS) {
      for (AuditEntity entity : e.entities()) {
        if (entity.type().equals(bulkType) && !entity.id().equals("*")) {
          DistinctWindow w = distinct.computeIfAbsent(user, k -> new DistinctWindow());
          int n = w.add(entity.id(), t, bulkReads.window());
          if (n >= bulkReads.count() && w.ready(t, bulkReads.window())) {
            send(t, Alert.Severity.CRITICAL, "bulk-read", Map.of("user", user, "resourceType", bulkType,
                "distinct", Integer.toString(n), "window", bulkReads.window().toString()));
          }
        }
      }
    }
    if (emergency && e.emergencyGrant().isPresent() && !e.type().equals("break-glass")
        && grantsSeen.put(e.emergencyGrant().get(), Boolean.TRUE) == null) {
      Map<String, String> subject = new LinkedHashMap<>();
      subject.put("grant", e.emergencyGrant().get());
      if (user != null) {
        subject.put("user", user);
      }
      send(t, Alert.Severity.WARNING, "emergency-access-used", subject);
    }
    if (integrity && e.type().equals(INTEGRITY_TYPE) && e.outcome() != AuditOutcome.SUCCESS) {
      Map<String, String> subject = new LinkedHashMap<>();
      e.subtype().ifPresent(s -> subject.put("check", s));
      if (user != null) {
        subject.put("user", user);
      }
      if (address != null) {
        subject.put("address", address);
      }
      e.requestId().ifPresent(r -> subject.put("request", r));
      send(t, Alert.Severity.CRITICAL, "integrity-violation", subject);
    }
  }

  private void count(String type, String keyName, String key, Instant t, long weight, Threshold threshold,
      Alert.Severity severity) {
    if (key == null) {
      return;
    }
    Window w = windows.computeIfAbsent(type + "|" + keyName + "|" + key, k -> new Window());
    long n = w.add(t, weight, threshold.window());
    if (n >= threshold.count() && w.ready(t, threshold.window())) {
      send(t, severity, type, Map.of(keyName, key, "count", Long.toString(n),
          "window", threshold.window().toString()));
    }
  }

  private void send(Instant t, Alert.Severity severity, String type, Map<String, String> subject) {
    try {
      alerts.send(Alert.of(t, severity, type, subject));
    } catch (AlertException | RuntimeException ex) {
      if (unsent.incrementAndGet() == 1 || Long.bitCount(unsent.get()) == 1) { // the 1st, 2nd, 4th, 8th, ...
        LOG.error("the {} alert could not be sent ({} unsent in all): {}", type, unsent.get(),
            ex.getClass().getName());
      }
    }
  }

  /**
   * Alerts this detector raised but could not hand to its sink.
   *
   * @return how many alerts the sink refused (it threw) since the detector was built; never negative
   */
  public long unsent() {
    return unsent.get();
  }

  /** Times of recent events for one key, and when it last alerted. */
  private static class Cooldown {
    private Instant lastAlert;

    /** Whether the key may alert now; if so, starts its quiet window. */
    boolean ready(Instant t, Duration window) {
      if (lastAlert != null && t.isBefore(lastAlert.plus(window))) {
        return false;
      }
      lastAlert = t;
      return true;
    }
  }

  /** Events of one key in the window, as (time, how many) so that a summary event counts as many as it stands for. */
  private static final class Window extends Cooldown {
    private record Entry(Instant time, long count) {}

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long total;

    long add(Instant t, long count, Duration window) {
      entries.addLast(new Entry(t, count));
      total += count;
      Instant from = t.minus(window);
      while (!entries.isEmpty() && !entries.peekFirst().time().isAfter(from)) {
        total -= entries.removeFirst().count();
      }
      return total;
    }
  }

  private static final class DistinctWindow extends Cooldown {
    private final LinkedHashMap<String, Instant> lastSeen = new LinkedHashMap<>(16, 0.75f, true);

    int add(String id, Instant t, Duration window) {
      lastSeen.put(id, t);
      Instant from = t.minus(window);
      for (Iterator<Instant> it = lastSeen.values().iterator(); it.hasNext(); ) {
        if (it.next().isAfter(from)) {
          break;
        }
        it.remove();
      }
      return lastSeen.size();
    }
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_KEYS;
      }
    };
  }

  /** Configures an {@link AnomalyDetector}. */
  public static final class Builder {
    private final AlertSink alerts;
    private Threshold denials = new Threshold(10, Duration.ofMinutes(1));
    private Threshold bulkReads = new Threshold(50, Duration.ofMinutes(10));
    private String bulkType = "Patient";
    private Threshold authFailures = new Threshold(20, Duration.ofMinutes(5));
    private boolean emergency = true;
    private boolean integrity = true;

    private Builder(AlertSink alerts) {
      this.alerts = Objects.requireNonNull(alerts, "alerts");
    }

    /**
     * Alerts on {@code count} denials (HTTP 403) per user or per address within {@code window}; 10 per minute unless
     * set.
     *
     * @param count how many denials raise an alert, at least 1
     * @param window how far back denials are counted, by the events' recorded time; positive
     * @return this builder
     * @throws IllegalArgumentException if the count is below 1 or the window is not positive
     */
    public Builder denialBursts(int count, Duration window) {
      denials = threshold(count, window);
      return this;
    }

    /**
     * Alerts when one user reads {@code count} distinct resources of {@code resourceType} within {@code window}; 50
     * patients in 10 minutes unless set.
     *
     * @param resourceType the audited entity type to watch, compared exactly (case included), e.g. {@code Patient};
     *     not null
     * @param count how many distinct resources (by entity id, {@code *} not counted) raise an alert, at least 1
     * @param window how far back reads are counted, by the events' recorded time; positive
     * @return this builder
     * @throws NullPointerException if {@code resourceType} is null
     * @throws IllegalArgumentException if the count is below 1 or the window is not positive
     */
    public Builder bulkReads(String resourceType, int count, Duration window) {
      bulkType = Objects.requireNonNull(resourceType, "resourceType");
      bulkReads = threshold(count, window);
      return this;
    }

    /**
     * Alerts on {@code count} authentication failures (failed logins, HTTP 401) per address (a warning), or in all (a
     * critical alert), within {@code window}; 20 in 5 minutes unless set.
     *
     * @param count how many failures raise an alert, at least 1
     * @param window how far back failures are counted, by the events' recorded time; positive
     * @return this builder
     * @throws IllegalArgumentException if the count is below 1 or the window is not positive
     */
    public Builder authenticationFailures(int count, Duration window) {
      authFailures = threshold(count, window);
      return this;
    }

    /**
     * Stops alerting on the first access under each emergency grant. <b>Warning:</b> break-glass use then goes
     * unnoticed unless the grant's opening alert is acted on.
     *
     * @return this builder
     */
    public Builder ignoreEmergencyAccessUse() {
      emergency = false;
      return this;
    }

    /**
     * Stops alerting on integrity violations. <b>Warning:</b> tampered requests then raise no alarm.
     *
     * @return this builder
     */
    public Builder ignoreIntegrityViolations() {
      integrity = false;
      return this;
    }

    private static Threshold threshold(int count, Duration window) {
      if (count < 1 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("a threshold counts at least one event in a positive window");
      }
      return new Threshold(count, window);
    }

    /**
     * The detector.
     *
     * @return a new detector with the settings so far, and no history of its own; each call makes another
     */
    public AnomalyDetector build() {
      return new AnomalyDetector(this);
    }
  }
}
