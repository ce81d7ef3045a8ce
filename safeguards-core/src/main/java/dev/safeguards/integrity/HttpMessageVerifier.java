package dev.safeguards.integrity;

import dev.safeguards.http.HttpMessageView;
import dev.safeguards.http.HttpRequestView;
import dev.safeguards.http.HttpResponseView;
import dev.safeguards.integrity.IntegrityException.Reason;
import dev.safeguards.integrity.internal.StructuredFields;
import dev.safeguards.integrity.internal.StructuredFields.BareItem;
import dev.safeguards.integrity.internal.StructuredFields.InnerList;
import dev.safeguards.integrity.internal.StructuredFields.Item;
import dev.safeguards.integrity.internal.StructuredFields.Member;
import dev.safeguards.integrity.internal.StructuredFields.SfBytes;
import dev.safeguards.integrity.internal.StructuredFields.SfInteger;
import dev.safeguards.integrity.internal.StructuredFields.SfString;
import dev.safeguards.integrity.internal.StructuredFields.StructuredFieldException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies RFC 9421 HTTP Message Signatures against a policy (164.312(e)(2)(i) transmission integrity).
 *
 * <p>Secure by default:
 * <ul>
 *   <li>The key comes only from the application's {@link HttpVerificationKeys}, by {@code keyid}; it is bound to one
 *       algorithm, and an {@code alg} parameter naming another fails. Allowed algorithms: all of
 *       {@link HttpSignatureAlgorithm} unless narrowed.
 *   <li>A request signature must cover {@code @method} and {@code @target-uri}, a response signature {@code @status},
 *       unless other components are required explicitly.
 *   <li>{@code created} is required, may be at most {@code clockSkew} (30 s) in the future and at most {@code maxAge}
 *       (5 minutes) plus {@code clockSkew} old; an {@code expires} more than {@code clockSkew} in the past fails.
 *   <li>A verified nonce is recorded in a {@link NonceCache} (in memory, 100,000 entries, unless replaced) and a second
 *       use fails; {@link Builder#requireNonce()} makes nonces mandatory.
 *   <li>Parsing is strict: an unknown component or parameter, a repeated component, {@code ;req} on a request, a
 *       {@code Signature} without its {@code Signature-Input} (or the reverse) all fail.
 * </ul>
 *
 * <p>When several signatures are present, each (or only the configured label) is tried in order and the first that
 * verifies within policy is returned; if none does, the failure of the first is thrown. Instances are thread-safe.
 */
public final class HttpMessageVerifier {

  private static final Set<String> SIGNATURE_PARAMETERS = Set.of("created", "expires", "nonce", "alg", "keyid", "tag");
  private static final List<SignatureComponent> REQUEST_DEFAULT =
      List.of(SignatureComponent.METHOD, SignatureComponent.TARGET_URI);
  private static final List<SignatureComponent> RESPONSE_DEFAULT = List.of(SignatureComponent.STATUS);

  private final HttpVerificationKeys keys;
  private final Set<HttpSignatureAlgorithm> algorithms;
  private final Optional<List<SignatureComponent>> required;
  private final Optional<String> label;
  private final Duration maxAge;
  private final Duration clockSkew;
  private final boolean requireNonce;
  private final NonceCache nonces;
  private final Clock clock;

  private HttpMessageVerifier(Builder b) {
    this.keys = b.keys;
    this.algorithms = Set.copyOf(b.algorithms);
    this.required = b.required;
    this.label = b.label;
    this.maxAge = b.maxAge;
    this.clockSkew = b.clockSkew;
    this.requireNonce = b.requireNonce;
    this.clock = b.clock;
    this.nonces = b.nonces != null ? b.nonces : NonceCache.inMemory(100_000, b.clock);
  }

  /**
   * Starts configuring a verifier that trusts the keys {@code keys} finds.
   *
   * @param keys the application's trusted keys, looked up by {@code keyid}; not null
   * @return a builder with the defaults of the class comment
   * @throws NullPointerException if {@code keys} is null
   */
  public static Builder builder(HttpVerificationKeys keys) {
    return new Builder(keys);
  }

  /**
   * Verifies a signed request.
   *
   * @param request the request as received; not null
   * @return the first signature that verifies within the policy; its nonce, if any, is now recorded as used
   * @throws IntegrityException if no signature verifies within the policy; the reason says why
   */
  public VerifiedHttpSignature verify(HttpRequestView request) throws IntegrityException {
    return verify(request, null);
  }

  /**
   * Verifies a signed response; {@code request} is the request it answers, needed only for {@code ;req} components.
   *
   * @param response the response as received; not null
   * @param request the request it answers; may be null when no covered component has {@code ;req}
   * @return the first signature that verifies within the policy; its nonce, if any, is now recorded as used
   * @throws IntegrityException if no signature verifies within the policy; the reason says why
   */
  public VerifiedHttpSignature verify(HttpResponseView response, HttpRequestView request) throws IntegrityException {
    return verify((HttpMessageView) response, request);
  }

  private VerifiedHttpSignature verify(HttpMessageView message, HttpRequestView request) throws IntegrityException {
    List<String> inputLines = message.fieldValues(SignatureFields.SIGNATURE_INPUT);
    List<String> signatureLines = message.fieldValues(SignatureFields.SIGNATURE);
    if (inputLines.isEmpty() && signatureLines.isEmpty()) {
      throw new IntegrityException(Reason.MISSING, "the message is not signed");
    }
    if (inputLines.isEmpty() || signatureLines.isEmpty()) {
      throw new IntegrityException(Reason.MISSING, "the message has " + (inputLines.isEmpty()
          ? "a Signature without Signature-Input" : "a Signature-Input without Signature"));
    }
    Map<String, Member> inputs = dictionary(SignatureFields.SIGNATURE_INPUT, inputLines);
    Map<String, Member> signatures = dictionary(SignatureFields.SIGNATURE, signatureLines);
    if (!inputs.keySet().equals(signatures.keySet())) {
      throw new IntegrityException(Reason.MALFORMED,
          "the labels of Signature and Signature-Input differ: every signature needs its input, and the reverse");
    }
    List<String> labels = label.map(List::of).orElseGet(() -> new ArrayList<>(inputs.keySet()));
    IntegrityException first = null;
    for (String l : labels) {
      if (!inputs.containsKey(l)) {
        throw new IntegrityException(Reason.MISSING, "the message has no signature labelled " + l);
      }
      try {
        return verifyOne(l, inputs.get(l), signatures.get(l), message, request);
      } catch (IntegrityException e) {
        first = first == null ? e : first;
      }
    }
    throw first;
  }

  private VerifiedHttpSignature verifyOne(String l, Member input, Member signatureMember, HttpMessageView message,
      HttpRequestView request) throws IntegrityException {
    if (!(input instanceof InnerList params)) {
      throw malformed(l, "its Signature-Input is not an inner list");
    }
    if (!(signatureMember instanceof Item sigItem) || !(sigItem.value() instanceof SfBytes sigBytes)) {
      throw malformed(l, "its Signature is not a byte sequence");
    }
    List<SignatureComponent> components = new ArrayList<>();
    for (Item id : params.items()) {
      SignatureComponent c = SignatureComponent.fromIdentifier(id);
      if (components.contains(c)) {
        throw malformed(l, "the component " + c + " is covered twice");
      }
      if (c.flag("req") && message instanceof HttpRequestView) {
        throw malformed(l, "the component " + c + " uses ;req on a request");
      }
      components.add(c);
    }
    for (Map.Entry<String, BareItem> p : params.parameters().map().entrySet()) {
      boolean numeric = p.getKey().equals("created") || p.getKey().equals("expires");
      if (!SIGNATURE_PARAMETERS.contains(p.getKey())) {
        throw malformed(l, "unknown signature parameter " + SignatureComponent.shorten(p.getKey()));
      }
      if (numeric ? !(p.getValue() instanceof SfInteger) : !(p.getValue() instanceof SfString)) {
        throw malformed(l, "the signature parameter " + p.getKey() + " has the wrong type");
      }
    }
    Optional<String> keyId = string(params, "keyid");
    if (keyId.isEmpty()) {
      throw new IntegrityException(Reason.MISSING, "signature " + l + " has no keyid");
    }
    HttpVerificationKey key = keys.find(keyId.get()).orElseThrow(() -> new IntegrityException(Reason.UNKNOWN_KEY,
        "signature " + l + " names an unknown or untrusted key " + SignatureComponent.shorten(keyId.get())));
    Optional<String> alg = string(params, "alg");
    if (alg.isPresent() && !alg.get().equals(key.algorithm().identifier())) {
      throw new IntegrityException(Reason.UNKNOWN_KEY, "signature " + l + " names algorithm "
          + SignatureComponent.shorten(alg.get()) + " but key " + key.keyId() + " is " + key.algorithm().identifier());
    }
    if (!algorithms.contains(key.algorithm())) {
      throw new IntegrityException(Reason.UNSUPPORTED_ALGORITHM, "signature " + l + " uses "
          + key.algorithm().identifier() + ", which the policy does not allow");
    }
    List<SignatureComponent> mustCover = required.orElse(message instanceof HttpRequestView
        ? REQUEST_DEFAULT : RESPONSE_DEFAULT);
    for (SignatureComponent c : mustCover) {
      if (!components.contains(c)) {
        throw new IntegrityException(Reason.POLICY_VIOLATION, "signature " + l + " does not cover " + c);
      }
    }
    Instant now = clock.instant();
    Optional<Long> createdSeconds = integer(params, "created");
    if (createdSeconds.isEmpty()) {
      throw new IntegrityException(Reason.MISSING, "signature " + l + " has no created time");
    }
    Instant created = Instant.ofEpochSecond(createdSeconds.get());
    if (created.isAfter(now.plus(clockSkew))) {
      throw new IntegrityException(Reason.EXPIRED, "signature " + l + " was created in the future");
    }
    if (created.isBefore(now.minus(maxAge).minus(clockSkew))) {
      throw new IntegrityException(Reason.EXPIRED, "signature " + l + " is older than " + maxAge);
    }
    Optional<Instant> expires = integer(params, "expires").map(Instant::ofEpochSecond);
    if (expires.isPresent() && expires.get().isBefore(created)) {
      throw malformed(l, "it expires before it was created");
    }
    if (expires.isPresent() && expires.get().plus(clockSkew).isBefore(now)) {
      throw new IntegrityException(Reason.EXPIRED, "signature " + l + " has expired");
    }
    Optional<String> nonce = string(params, "nonce");
    if (requireNonce && nonce.isEmpty()) {
      throw new IntegrityException(Reason.MISSING, "signature " + l + " has no nonce, which the policy requires");
    }

    byte[] base = SignatureBase.build(message, request, components, params);
    if (!key.algorithm().verify(key.key(), base, sigBytes.value())) {
      throw new IntegrityException(Reason.SIGNATURE_INVALID, "signature " + l + " by key " + key.keyId()
          + " does not verify: the message or a covered component changed, or another key signed it");
    }
    if (nonce.isPresent()) {
      Instant until = created.plus(maxAge).plus(clockSkew);
      if (!nonces.firstUse(key.keyId(), nonce.get(), until)) {
        throw new IntegrityException(Reason.REPLAYED, "signature " + l
            + " reuses a nonce (or the replay cache is full, unreachable, or past the nonce's expiry)");
      }
    }
    return new VerifiedHttpSignature(l, key.keyId(), key.algorithm(), components, created, expires, nonce,
        string(params, "tag"));
  }

  private static Map<String, Member> dictionary(String field, List<String> lines) throws IntegrityException {
    try {
      return StructuredFields.parseDictionary(lines);
    } catch (StructuredFieldException e) {
      throw new IntegrityException(Reason.MALFORMED, "the " + field + " field is not a valid dictionary ("
          + e.getMessage() + ")");
    }
  }

  private static Optional<String> string(InnerList params, String name) {
    return params.parameters().get(name).map(v -> ((SfString) v).value());
  }

  private static Optional<Long> integer(InnerList params, String name) {
    return params.parameters().get(name).map(v -> ((SfInteger) v).value());
  }

  private static IntegrityException malformed(String label, String what) {
    return new IntegrityException(Reason.MALFORMED, "signature " + label + ": " + what);
  }

  /** Configures an {@link HttpMessageVerifier}. */
  public static final class Builder {
    private final HttpVerificationKeys keys;
    private Set<HttpSignatureAlgorithm> algorithms = EnumSet.allOf(HttpSignatureAlgorithm.class);
    private Optional<List<SignatureComponent>> required = Optional.empty();
    private Optional<String> label = Optional.empty();
    private Duration maxAge = Duration.ofMinutes(5);
    private Duration clockSkew = Duration.ofSeconds(30);
    private boolean requireNonce;
    private NonceCache nonces;
    private Clock clock = Clock.systemUTC();

    private Builder(HttpVerificationKeys keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * Narrows the accepted algorithms.
     *
     * @param allowed the algorithms a key may use; at least one, none null; replaces any set before
     * @return this builder
     * @throws NullPointerException if an algorithm is null
     * @throws IllegalArgumentException if none is given
     */
    public Builder allowAlgorithms(HttpSignatureAlgorithm... allowed) {
      if (allowed.length == 0) {
        throw new IllegalArgumentException("allow at least one algorithm");
      }
      this.algorithms = EnumSet.copyOf(List.of(allowed));
      return this;
    }

    /**
     * The components every accepted signature must cover (replacing the defaults).
     *
     * @param components the required components, compared with their parameters; none null. None at all accepts a
     *     signature that covers nothing, which can be moved to any message
     * @return this builder
     * @throws NullPointerException if a component is null
     */
    public Builder requireComponents(SignatureComponent... components) {
      this.required = Optional.of(List.of(components));
      return this;
    }

    /**
     * Verifies only the signature with this label.
     *
     * @param label the label; a message without a signature so labelled fails with {@code MISSING}; not null
     * @return this builder
     * @throws NullPointerException if {@code label} is null
     */
    public Builder label(String label) {
      this.label = Optional.of(Objects.requireNonNull(label, "label"));
      return this;
    }

    /**
     * How old {@code created} may be (default 5 minutes).
     *
     * @param maxAge the oldest accepted signature age, to which the clock skew is added; a nonce is remembered until
     *     {@code created} plus both; not null
     * @return this builder
     * @throws NullPointerException if {@code maxAge} is null
     * @throws IllegalArgumentException unless between 1 second and 1 hour
     */
    public Builder maxAge(Duration maxAge) {
      if (maxAge.compareTo(Duration.ofSeconds(1)) < 0 || maxAge.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("maxAge must be between 1 second and 1 hour");
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * The tolerated difference between the signer's clock and ours (default 30 seconds).
     *
     * @param skew how far {@code created} may be in the future, and how much later than {@code maxAge} or
     *     {@code expires} a signature is still accepted; not null
     * @return this builder
     * @throws NullPointerException if {@code skew} is null
     * @throws IllegalArgumentException unless between 0 and 5 minutes
     */
    public Builder clockSkew(Duration skew) {
      if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("clockSkew must be between 0 and 5 minutes");
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * Refuses signatures without a nonce.
     *
     * @return this builder
     */
    public Builder requireNonce() {
      this.requireNonce = true;
      return this;
    }

    /**
     * Where used nonces are recorded (default: 100,000 entries in memory).
     *
     * @param cache the cache; share one across the nodes of a cluster, or a nonce can be replayed on another node;
     *     not null
     * @return this builder
     * @throws NullPointerException if {@code cache} is null
     */
    public Builder nonceCache(NonceCache cache) {
      this.nonces = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /**
     * The clock that judges {@code created} and {@code expires} (default: the system UTC clock).
     *
     * @param clock the clock; also the default nonce cache's; not null
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return a new verifier; without a {@link #nonceCache}, each gets an in-memory cache of its own
     */
    public HttpMessageVerifier build() {
      return new HttpMessageVerifier(this);
    }
  }
}
