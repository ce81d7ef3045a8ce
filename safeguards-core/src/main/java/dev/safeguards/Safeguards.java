package dev.safeguards;

import dev.safeguards.access.AccessPolicy;
import dev.safeguards.alert.AlertSink;
import dev.safeguards.alert.AlertSinks;
import dev.safeguards.alert.AsyncAlertSink;
import dev.safeguards.alert.AnomalyDetector;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.audit.AuditSinks;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.compliance.ComplianceReport;
import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Weakness;
import dev.safeguards.crypto.KeyInfo;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.Keyring;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.gate.Gate;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import dev.safeguards.integrity.HttpMessageVerifier;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.transport.RequestLimits;
import dev.safeguards.transport.TransportPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Every safeguard of an API, assembled once: token verification, sessions, access policy, routes, audit, transport
 * and limits (45 CFR 164.312). Register it with an adapter (the servlet filter, the JAX-RS feature); they all run the
 * same {@link Gate}. Immutable and thread-safe.
 *
 * <pre>{@code
 * Safeguards safeguards = Safeguards.builder()
 *     .tokens(TokenVerifier.create(tokenPolicy))
 *     .sessions(SessionTracker.create(SessionPolicy.DEFAULT, sessionStore, revocations, clock))
 *     .access(accessPolicy)
 *     .routes(Routes.of(Route.publicRoute("GET", "/health"),
 *         Route.protect("GET", "/patients/{id:uuid}", "patient:read").withResource("Patient", "id")))
 *     .audit(auditSink)
 *     .build();
 * }</pre>
 */
public final class Safeguards {

  private final Gate.Parts parts;
  private final Gate gate;
  private final Declared config;
  private final Set<Route> adapterRoutes = new CopyOnWriteArraySet<>();

  /** What the report needs beyond the gate's parts: the sink before the detector joined it, and what was declared. */
  private record Declared(AuditSink audit, Optional<AnomalyDetector> detector, Optional<Keyring> encryption,
      Optional<ManagedKeyset> recordSigning, List<ManagedKeyset> inventoryKeysets, Duration rotation,
      Map<Specification, String> rationales, Map<Weakness, String> accepted) {}

  private Safeguards(Gate gate, Declared config) {
    this.parts = gate.parts();
    this.gate = gate;
    this.config = config;
  }

  /**
   * Starts assembling.
   *
   * @return a new builder, with nothing set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The request gate the adapters run.
   *
   * @return the gate, never null; the same one for the life of this object
   */
  public Gate gate() {
    return gate;
  }

  /**
   * The sessions, for an application that ends them itself (e.g. on password change).
   *
   * @return the session tracker given to {@link Builder#sessions}, never null
   */
  public SessionTracker sessions() {
    return parts.sessions();
  }

  /**
   * The access policy, for decisions the application makes beyond the route's.
   *
   * @return the policy given to {@link Builder#access}, never null
   */
  public AccessPolicy access() {
    return parts.access();
  }

  /**
   * The audit sink, for events the application records itself: the configured one, with the anomaly detector
   * watching it if {@code alerts} was set.
   *
   * @return the sink the gate records to, never null
   */
  public AuditSink audit() {
    return parts.audit();
  }

  /**
   * Adds routes an adapter derived at deployment (the JAX-RS feature, from resource annotations) to the endpoint
   * inventory. The inventory is the only part of this object that changes after {@code build()}.
   *
   * @param routes the routes to add; not null. A route already in the inventory is not added twice
   * @throws NullPointerException if {@code routes} is null
   */
  public void registerEndpoints(Collection<Route> routes) {
    adapterRoutes.addAll(routes);
  }

  /**
   * Every endpoint this configuration protects: the configured routes and those the adapters registered.
   *
   * @return an unmodifiable snapshot, without duplicates: the configured routes in their order, then the registered
   *     ones
   */
  public List<Route> endpoints() {
    Set<Route> all = new LinkedHashSet<>(parts.routes().all());
    all.addAll(adapterRoutes);
    return List.copyOf(all);
  }

  /**
   * What every component of this configuration says about itself, for the compliance report and the self-check.
   *
   * @return an unmodifiable list: tokens, sessions, access, audit, the anomaly detector if alerts are set, transport,
   *     the gate, then the encryption keyring and the record-signing keyset if declared
   */
  public List<Evidence> evidence() {
    return evidence(gate, config);
  }

  private static List<Evidence> evidence(Gate gate, Declared declared) {
    Gate.Parts parts = gate.parts();
    List<Evidence> all = new ArrayList<>();
    all.add(parts.tokens().evidence());
    all.add(parts.sessions().evidence());
    all.add(parts.access().evidence());
    all.add(declared.audit().evidence());
    declared.detector().ifPresent(d -> all.add(d.evidence()));
    all.add(parts.transport().evidence());
    all.add(gate.evidence());
    declared.encryption().ifPresent(k -> all.add(k.evidence()));
    declared.recordSigning().ifPresent(k -> all.add(k.evidence()));
    return List.copyOf(all);
  }

  /**
   * The compliance evidence report of this configuration as it runs now: the nine 164.312 specifications with their
   * status, the endpoint inventory and the key inventory with key ages (docs/compliance.md).
   *
   * @return a new report, taken at the configured clock's current instant; endpoints sorted by pattern, method and
   *     handler
   */
  public ComplianceReport complianceReport() {
    Instant now = parts.clock().instant();
    List<ComplianceReport.Endpoint> endpoints = endpoints().stream()
        .sorted(Comparator.comparing(Route::pattern).thenComparing(Route::method)
            .thenComparing(r -> r.handler().orElse(""))).map(Safeguards::endpoint).toList();
    return ComplianceReport.of(now, evidence(), config.rationales(), config.accepted(), endpoints, keys(now),
        config.rotation());
  }

  private static ComplianceReport.Endpoint endpoint(Route r) {
    String access = switch (r.kind()) {
      case PUBLIC -> "public";
      case DENIED -> "denied";
      case LOGOUT -> "logout";
      case PROTECTED -> r.roles().isEmpty() ? "permission " + r.permission().orElseThrow()
          : "roles " + String.join(" ", new TreeSet<>(r.roles()));
    };
    Optional<String> flag = r.kind() == Route.Kind.PUBLIC
        ? Optional.of(r.phi() ? "unprotected, and marked as carrying PHI" : "unprotected") : Optional.empty();
    return new ComplianceReport.Endpoint(r.method(), r.pattern(), access, r.phi(), r.resourceType(), r.breakGlass(),
        flag, r.handler());
  }

  private List<ComplianceReport.Key> keys(Instant now) {
    List<ComplianceReport.Key> keys = new ArrayList<>();
    config.encryption().ifPresent(k -> k.inventory().forEach(i -> keys.add(
        key(Keyring.fileFor(k.directory(), i.purpose()).getFileName().toString(), i, now))));
    for (ManagedKeyset keyset : config.inventoryKeysets()) {
      keyset.inventory().forEach(i -> keys.add(key(keyset.file().getFileName().toString(), i, now)));
    }
    return keys;
  }

  private ComplianceReport.Key key(String keyset, KeyInfo k, Instant now) {
    long days = Duration.between(k.createdAt(), now).toDays();
    return new ComplianceReport.Key(keyset, k.purpose().fileName(), k.keyId().toString(),
        k.status().name().toLowerCase(Locale.ROOT), k.primary(), k.createdAt(), Math.max(0, days),
        k.primary() && Duration.between(k.createdAt(), now).compareTo(config.rotation()) > 0);
  }

  /** Assembles {@link Safeguards}. */
  public static final class Builder {
    private TokenVerifier tokens;
    private SessionTracker sessions;
    private AccessPolicy access;
    private Routes routes;
    private AuditSink audit;
    private TransportPolicy transport = TransportPolicy.defaults();
    private RequestLimits limits = RequestLimits.DEFAULTS;
    private boolean checkTls = true;
    private HttpMessageVerifier signatures;
    private boolean requireDigest;
    private AlertSink alerts;
    private ManagedKeyset recordSigning;
    private Clock clock = Clock.systemUTC();
    private Optional<Keyring> encryption = Optional.empty();
    private final List<ManagedKeyset> inventoryKeysets = new ArrayList<>();
    private Duration rotation = Duration.ofDays(365);
    private Duration refusalWindow = Duration.ofSeconds(10);
    private final Map<Specification, String> rationales = new EnumMap<>(Specification.class);
    private final Map<Weakness, String> accepted = new EnumMap<>(Weakness.class);

    private Builder() {}

    /**
     * How access tokens are verified. Required.
     *
     * @param value the verifier; not null
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder tokens(TokenVerifier value) {
      tokens = Objects.requireNonNull(value, "tokens");
      return this;
    }

    /**
     * Automatic logoff: idle and absolute timeouts, logout, revocation. Required.
     *
     * @param value the session tracker; not null
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder sessions(SessionTracker value) {
      sessions = Objects.requireNonNull(value, "sessions");
      return this;
    }

    /**
     * Who may do what. Required.
     *
     * @param value the access policy; not null
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder access(AccessPolicy value) {
      access = Objects.requireNonNull(value, "access");
      return this;
    }

    /**
     * The routes the gate serves; anything else is 404. Required.
     *
     * @param value the routes; not null
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder routes(Routes value) {
      routes = Objects.requireNonNull(value, "routes");
      return this;
    }

    /**
     * Where the one audit event per request goes. Required.
     *
     * @param value the audit sink; not null
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder audit(AuditSink value) {
      audit = Objects.requireNonNull(value, "audit");
      return this;
    }

    /**
     * HTTPS enforcement and trusted proxies; {@link TransportPolicy#defaults()} unless set.
     *
     * @param value the transport policy; not null
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder transport(TransportPolicy value) {
      transport = Objects.requireNonNull(value, "transport");
      return this;
    }

    /**
     * Size limits; {@link RequestLimits#DEFAULTS} unless set.
     *
     * @param value the limits; not null
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder limits(RequestLimits value) {
      limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /**
     * Stops refusing TLS connections whose cipher suite is below the TLS policy. <b>Warning:</b> only for containers
     * that report suites the policy does not know; configure the server with {@code TlsPolicy} instead.
     *
     * @return this builder
     */
    public Builder skipNegotiatedTlsCheck() {
      checkTls = false;
      return this;
    }

    /**
     * Requires every request to a protected route to carry an RFC 9421 HTTP message signature that {@code verifier}
     * accepts (covering, for example, {@code @method}, {@code @target-uri} and {@code content-digest}); a request
     * without one is refused with 401 and audited as an integrity failure. Off unless set.
     *
     * @param verifier the verifier every signature must pass; not null
     * @return this builder
     * @throws NullPointerException if {@code verifier} is null
     */
    public Builder httpSignatures(HttpMessageVerifier verifier) {
      signatures = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * Requires a {@code Content-Digest} (RFC 9530) on every request body; a body without one is refused with 400.
     * Without this, a digest is verified when the client sends one.
     *
     * @return this builder
     */
    public Builder requireContentDigest() {
      requireDigest = true;
      return this;
    }

    /**
     * Watches the audit stream with an {@link AnomalyDetector} at its default thresholds and sends its alerts (denial
     * bursts, bulk reads, emergency access, authentication failure spikes, integrity violations) to {@code sink}.
     * Alerts are delivered from a bounded queue on a thread of their own ({@code AlertSinks.async}, 1024 alerts), so a
     * slow destination never holds up a request; a full queue drops, logs and counts. For other thresholds, add your
     * own detector to the audit sink with {@code AuditSinks.fanOut} instead.
     *
     * @param sink where alerts go; not null. A sink that is already an {@code AsyncAlertSink} is used as it is, any
     *     other is wrapped in one
     * @return this builder
     * @throws NullPointerException if {@code sink} is null
     */
    public Builder alerts(AlertSink sink) {
      alerts = Objects.requireNonNull(sink, "alerts");
      return this;
    }

    /**
     * The keyring the application encrypts its PHI with (164.312(a)(2)(iv)): the compliance report shows it, and its
     * keys in the key inventory. Encryption happens in the application; this only declares it.
     *
     * @param keyring the application's encryption keyring; not null
     * @return this builder
     * @throws NullPointerException if {@code keyring} is null
     */
    public Builder encryptionAtRest(Keyring keyring) {
      encryption = Optional.of(Objects.requireNonNull(keyring, "keyring"));
      return this;
    }

    /**
     * The keyset the application signs its records with (164.312(c)(2)): the compliance report shows it, and its keys
     * in the key inventory.
     *
     * @param keyset the record-signing (Ed25519 or P-256) or record-MAC keyset; not null
     * @return this builder
     * @throws IllegalArgumentException if it is not a record-signing or record-MAC keyset
     * @throws NullPointerException if {@code keyset} is null
     */
    public Builder signedRecords(ManagedKeyset keyset) {
      if (keyset.purpose() != KeyPurpose.RECORD_SIGNING_ED25519 && keyset.purpose() != KeyPurpose.RECORD_SIGNING_P256
          && keyset.purpose() != KeyPurpose.RECORD_MAC) {
        throw new IllegalArgumentException("records are signed with a record-signing keyset, not " + keyset.purpose());
      }
      recordSigning = keyset;
      return inventoryKeys(keyset);
    }

    /**
     * More keysets for the key inventory (token signing, audit checkpoints), so their ages are watched too. A keyset
     * whose file is already in the inventory is not added again.
     *
     * @param keysets the keysets; none null
     * @return this builder
     * @throws NullPointerException if the array or one of its keysets is null
     */
    public Builder inventoryKeys(ManagedKeyset... keysets) {
      for (ManagedKeyset k : keysets) {
        Objects.requireNonNull(k, "keyset");
        if (inventoryKeysets.stream().noneMatch(known -> known.file().equals(k.file()))) {
          inventoryKeysets.add(k);
        }
      }
      return this;
    }

    /**
     * How old a primary key may grow before the key inventory marks it due for rotation; 365 days unless set.
     *
     * @param maxPrimaryAge the longest age of a primary key that is not yet due; positive
     * @return this builder
     * @throws IllegalArgumentException unless positive
     */
    public Builder keyRotationPolicy(Duration maxPrimaryAge) {
      if (maxPrimaryAge.isNegative() || maxPrimaryAge.isZero()) {
        throw new IllegalArgumentException("a rotation period is positive");
      }
      rotation = maxPrimaryAge;
      return this;
    }

    /**
     * Documents, for the compliance report, how the organisation meets {@code specification} outside this library,
     * or why it does not (shown as the row's rationale; the status stays what the configuration shows).
     *
     * @param specification the specification; not null. A second rationale for it replaces the first
     * @param rationale the explanation, in words; stored without leading and trailing white space
     * @return this builder
     * @throws IllegalArgumentException if the rationale is null or blank
     * @throws NullPointerException if {@code specification} is null
     */
    public Builder rationale(Specification specification, String rationale) {
      rationales.put(Objects.requireNonNull(specification, "specification"), text(rationale));
      return this;
    }

    /**
     * Accepts a weak setting the startup self-check would otherwise refuse, with the reason, which the compliance
     * report shows. <b>Warning:</b> the specification it weakens is then reported partially met.
     *
     * @param weakness the weak setting accepted; not null. A second rationale for it replaces the first
     * @param rationale why it is accepted, in words; stored without leading and trailing white space
     * @return this builder
     * @throws IllegalArgumentException if the rationale is null or blank
     * @throws NullPointerException if {@code weakness} is null
     */
    public Builder acceptWeakness(Weakness weakness, String rationale) {
      accepted.put(Objects.requireNonNull(weakness, "weakness"), text(rationale));
      return this;
    }

    private static String text(String rationale) {
      if (rationale == null || rationale.isBlank()) {
        throw new IllegalArgumentException("a rationale says why, in words");
      }
      return rationale.strip();
    }

    /**
     * How long identical refusals of anonymous requests (same source address, route, status and rule) are counted
     * into one summary event after the first is recorded in full: ten seconds unless set; {@link Duration#ZERO}
     * records every refusal. Keeps a flood of unauthenticated requests from filling the audit disk while every
     * refusal stays accounted for (the summary holds the count and the first and last time).
     *
     * @param window the counting window, from zero to one hour inclusive; not null
     * @return this builder
     * @throws IllegalArgumentException if negative or over an hour
     */
    public Builder anonymousRefusalWindow(Duration window) {
      if (window.isNegative() || window.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("a refusal window is 0 to 1 hour");
      }
      refusalWindow = window;
      return this;
    }

    /**
     * The clock the gate, the audit events and the compliance report read; the system UTC clock unless set.
     *
     * @param value the clock; not null
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The assembled safeguards, after the startup self-check (which {@link Gate#of} runs).
     *
     * @return the new, immutable {@code Safeguards}
     * @throws IllegalStateException naming the first missing part, or every weak setting the self-check found that
     *     was not accepted with {@link #acceptWeakness}
     */
    public Safeguards build() {
      require(tokens, "tokens (a TokenVerifier)");
      require(sessions, "sessions (a SessionTracker)");
      require(access, "access (an AccessPolicy)");
      require(routes, "routes");
      require(audit, "audit (an AuditSink)");
      // Alerts leave through a bounded queue of their own: a slow webhook never holds up a request.
      Optional<AnomalyDetector> detector = Optional.ofNullable(alerts)
          .map(a -> AnomalyDetector.builder(a instanceof AsyncAlertSink ? a : AlertSinks.async(a, 1024)).build());
      Gate gate = Gate.of(new Gate.Parts(tokens, sessions, access, routes,
          detector.<AuditSink>map(d -> AuditSinks.fanOut(audit, d)).orElse(audit), transport, limits, checkTls,
          requireDigest, Optional.ofNullable(signatures), clock, accepted.keySet(), refusalWindow));
      Declared declared = new Declared(audit, detector, encryption, Optional.ofNullable(recordSigning),
          List.copyOf(inventoryKeysets), rotation, copy(rationales, Specification.class),
          copy(accepted, Weakness.class));
      return new Safeguards(gate, declared);
    }

    private static <K extends Enum<K>> Map<K, String> copy(Map<K, String> map, Class<K> type) {
      Map<K, String> copy = new EnumMap<>(type);
      copy.putAll(map);
      return java.util.Collections.unmodifiableMap(copy);
    }

    private static void require(Object part, String name) {
      if (part == null) {
        throw new IllegalStateException("Safeguards needs " + name);
      }
    }
  }
}
