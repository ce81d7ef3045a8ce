package dev.safeguards.transport;

import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.compliance.Weakness;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTPS only, with HSTS (164.312(e)(1), (e)(2)(ii)): decides the effective scheme and client address of a request and
 * whether it may go on, and which transport headers a response carries. Immutable and thread-safe.
 *
 * <ul>
 *   <li>The scheme is the connection's, unless the direct peer is a {@link TrustedProxies trusted proxy}: then the
 *       {@code proto=} of the last {@code Forwarded} element (RFC 7239: the element the proxy added) or, failing that,
 *       the last {@code X-Forwarded-Proto} value decides. The client address follows the same rule ({@code for=},
 *       {@code X-Forwarded-For}). A {@code Forwarded} field whose elements cannot be told apart (an unterminated
 *       quoted string, a parameter twice in the last element) makes the request plain HTTP from the proxy's address.
 *       Headers from any other peer are ignored.
 *   <li>Plain HTTP is refused with 403 (or 421, if configured) and a problem body saying HTTPS is required. The opt-in
 *       {@link Builder#redirectSafeRequestsToHttps} answers GET and HEAD with a 308 to the HTTPS URL instead; a request
 *       with a body is never redirected, since its content has already crossed the network in clear.
 *   <li>Every HTTPS response carries {@code Strict-Transport-Security} (one year and {@code includeSubDomains} by
 *       default, {@code preload} on request); plain HTTP responses never do (RFC 6797).
 * </ul>
 */
public final class TransportPolicy {

  /** One year, the least HSTS max-age this policy accepts without an explicit weakening. */
  public static final Duration ONE_YEAR = Duration.ofDays(365);

  private final TrustedProxies proxies;
  private final boolean plainHttpOnLoopback;
  private final boolean redirectSafe;
  private final int refusalStatus;
  private final String hsts;
  private final Duration hstsMaxAge;

  private TransportPolicy(Builder b) {
    this.proxies = b.proxies;
    this.plainHttpOnLoopback = b.plainHttpOnLoopback;
    this.redirectSafe = b.redirectSafe;
    this.refusalStatus = b.refusalStatus;
    this.hstsMaxAge = b.hstsMaxAge;
    this.hsts = "max-age=" + b.hstsMaxAge.getSeconds() + (b.includeSubDomains ? "; includeSubDomains" : "")
        + (b.preload ? "; preload" : "");
  }

  /**
   * The secure defaults: no trusted proxy, plain HTTP refused with 403, HSTS for one year with subdomains.
   *
   * @return a new policy with every default
   */
  public static TransportPolicy defaults() {
    return builder().build();
  }

  /**
   * Starts configuring a policy.
   *
   * @return a new builder, at the secure defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What the transport of a request was, and whether it may go on.
   *
   * @param https whether the request came over HTTPS: the connection's TLS, or a trusted proxy's word
   * @param clientAddress the effective client address: a trusted proxy's {@code for=} or {@code X-Forwarded-For} if it
   *     is an IP literal without a zone (and without its port), else the direct peer's
   * @param refusal why the request may not go on, and the answer; empty if it may
   */
  public record Transport(boolean https, String clientAddress, Optional<Refusal> refusal) {}

  /**
   * Why a request may not go on, and the answer to give.
   *
   * @param status 403, 421, or 308 (with {@code location})
   * @param location the HTTPS URL to redirect to, for a 308; empty otherwise
   */
  public record Refusal(int status, Optional<String> location) {}

  /**
   * Decides the transport of a request.
   *
   * @param connectionSecure whether the connection to the direct peer is TLS
   * @param peerAddress the direct peer's IP address
   * @param method the request method; not null
   * @param hostAndTarget the {@code Host} and the request target (path and query), for a redirect; null if unknown,
   *     and then no redirect is offered
   * @param forwarded the {@code Forwarded} field lines; not null, empty when absent
   * @param xForwardedProto the {@code X-Forwarded-Proto} field lines; not null, empty when absent
   * @param xForwardedFor the {@code X-Forwarded-For} field lines; not null, empty when absent
   * @return the transport, with a refusal unless the request is HTTPS (or plain HTTP from loopback, where allowed);
   *     never null
   */
  public Transport evaluate(boolean connectionSecure, String peerAddress, String method, String hostAndTarget,
      List<String> forwarded, List<String> xForwardedProto, List<String> xForwardedFor) {
    boolean https = connectionSecure;
    String client = peerAddress;
    // The peer's address is parsed only where a setting asks about it: trusted proxies, or plain HTTP on loopback.
    byte[] peer = peerAddress == null || proxies.isEmpty() && !plainHttpOnLoopback ? null
        : TrustedProxies.literal(peerAddress);
    if (proxies.trustsAddress(peer)) {
      Map<String, String> element;
      try {
        element = Forwarded.lastElement(forwarded);
      } catch (IllegalArgumentException e) {
        element = null;
      }
      if (element == null) {
        // The element the proxy added cannot be told apart: believe none of the forwarding headers, nor the
        // connection's TLS, which ended at the proxy; and the request did come through the proxy.
        https = false;
      } else {
        Optional<String> proto = Optional.ofNullable(element.get("proto"));
        if (proto.isEmpty()) {
          proto = Forwarded.lastListValue(xForwardedProto);
        }
        if (proto.isPresent()) {
          https = proto.get().toLowerCase(Locale.ROOT).equals("https");
        }
        Optional<String> forClient = Optional.ofNullable(element.get("for"))
            .or(() -> Forwarded.lastListValue(xForwardedFor))
            .map(Forwarded::stripPort)
            .filter(TransportPolicy::isAddress);
        client = forClient.orElse(peerAddress);
      }
    }
    // Local means no proxy at all: a proxy that forwards "for=unknown", an obfuscated identifier or only a proto
    // leaves the client address at the peer's, yet the request came from elsewhere.
    boolean forwardedAtAll = !forwarded.isEmpty() || !xForwardedProto.isEmpty() || !xForwardedFor.isEmpty();
    if (https || plainHttpOnLoopback && !forwardedAtAll && isLoopback(peer)) {
      return new Transport(https, client, Optional.empty());
    }
    if (redirectSafe && (method.equals("GET") || method.equals("HEAD")) && hostAndTarget != null) {
      return new Transport(false, client, Optional.of(new Refusal(308, Optional.of("https://" + hostAndTarget))));
    }
    return new Transport(false, client, Optional.of(new Refusal(refusalStatus, Optional.empty())));
  }

  /**
   * The {@code Strict-Transport-Security} value for HTTPS responses.
   *
   * @return e.g. {@code max-age=31536000; includeSubDomains}, the max-age in whole seconds
   */
  public String hstsHeaderValue() {
    return hsts;
  }

  /**
   * Its settings for the compliance report (164.312(e)(2)(i), (e)(2)(ii)): HTTPS only, with HSTS of one year or more.
   * Plain HTTP on loopback weakens both transmission specifications; a shorter HSTS weakens transmission encryption
   * and is a {@link Weakness#SHORT_HSTS_MAX_AGE} the self-check refuses unless accepted.
   *
   * @return new evidence of this policy
   */
  public Evidence evidence() {
    Evidence.Builder e = Evidence.of("TransportPolicy")
        .serves(Specification.TRANSMISSION_ENCRYPTION, Status.MET)
        .serves(Specification.TRANSMISSION_INTEGRITY, Status.MET)
        .setting("httpsOnly", !plainHttpOnLoopback).setting("plainHttpOnLoopback", plainHttpOnLoopback)
        .setting("hsts", hsts).setting("hstsMaxAge", hstsMaxAge).setting("trustedProxies", proxies.cidrs())
        .setting("plainHttpAnswer", redirectSafe ? "308 for GET and HEAD, else " + refusalStatus
            : String.valueOf(refusalStatus))
        .setting("tlsProtocols", TlsPolicy.protocols());
    if (plainHttpOnLoopback) {
      e.weakens(Specification.TRANSMISSION_ENCRYPTION, Status.PARTIALLY_MET,
          "plain HTTP is served to loopback clients (allowPlainHttpForLoopback)");
      e.weakens(Specification.TRANSMISSION_INTEGRITY, Status.PARTIALLY_MET,
          "plain HTTP is served to loopback clients (allowPlainHttpForLoopback)");
    }
    if (hstsMaxAge.compareTo(ONE_YEAR) < 0) {
      e.weakens(Specification.TRANSMISSION_ENCRYPTION, Status.PARTIALLY_MET,
          "HSTS max-age " + hstsMaxAge + " is under one year");
      e.weakness(Weakness.SHORT_HSTS_MAX_AGE, "the HSTS max-age is " + hstsMaxAge + ", under one year");
    }
    return e.build();
  }

  /**
   * Whether plain HTTP from loopback is allowed (a weakening, for local development only).
   *
   * @return true if {@link Builder#allowPlainHttpForLoopback} was set
   */
  public boolean allowsPlainHttpOnLoopback() {
    return plainHttpOnLoopback;
  }

  /**
   * Whether a forwarded address is one the audit log can record as it is: an IP literal, without a zone ({@code %eth0},
   * free text) or surrounding spaces (a quoted {@code for=} may carry both).
   */
  private static boolean isAddress(String a) {
    return a.indexOf('%') < 0 && a.equals(a.strip()) && TrustedProxies.literal(a) != null;
  }

  private static boolean isLoopback(byte[] a) {
    if (a == null) {
      return false;
    }
    if (a.length == 4) {
      return a[0] == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[15] == 1;
  }

  /** Configures a {@link TransportPolicy}. */
  public static final class Builder {
    private TrustedProxies proxies = TrustedProxies.none();
    private boolean plainHttpOnLoopback;
    private boolean redirectSafe;
    private int refusalStatus = 403;
    private Duration hstsMaxAge = ONE_YEAR;
    private boolean includeSubDomains = true;
    private boolean preload;

    private Builder() {}

    /**
     * Believes forwarding headers from these proxies only; {@link TrustedProxies#none()} unless set.
     *
     * @param value the trusted proxies; not null
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder trustedProxies(TrustedProxies value) {
      proxies = Objects.requireNonNull(value, "proxies");
      return this;
    }

    /**
     * Lets plain HTTP through when the client is on loopback and no proxy is involved: a request with any {@code
     * Forwarded}, {@code X-Forwarded-Proto} or {@code X-Forwarded-For} field came through one, even one that names no
     * client ({@code for=unknown}). <b>Warning:</b> for local development only; behind a proxy on the same host that
     * sends none of these it would expose plain HTTP to everyone. Off unless set.
     *
     * @return this builder
     */
    public Builder allowPlainHttpForLoopback() {
      plainHttpOnLoopback = true;
      return this;
    }

    /**
     * Answers plain-HTTP GET and HEAD with a 308 redirect to HTTPS instead of refusing them. Off unless set.
     *
     * @return this builder
     */
    public Builder redirectSafeRequestsToHttps() {
      redirectSafe = true;
      return this;
    }

    /**
     * Refuses plain HTTP with 421 Misdirected Request instead of 403 Forbidden.
     *
     * @return this builder
     */
    public Builder refusePlainHttpWith421() {
      refusalStatus = 421;
      return this;
    }

    /**
     * The HSTS max-age; one year unless set.
     *
     * @param value the max-age, at least one year; sent in whole seconds
     * @return this builder
     * @throws IllegalArgumentException if shorter than one year (use {@link #weakHstsMaxAge} to insist)
     */
    public Builder hstsMaxAge(Duration value) {
      if (value.compareTo(ONE_YEAR) < 0) {
        throw new IllegalArgumentException("an HSTS max-age under one year needs weakHstsMaxAge");
      }
      hstsMaxAge = value;
      return this;
    }

    /**
     * An HSTS max-age under one year. <b>Warning:</b> browsers forget HTTPS-only sooner; for a staged rollout. The
     * self-check refuses it unless {@link Weakness#SHORT_HSTS_MAX_AGE} is accepted.
     *
     * @param value the max-age, zero or more; sent in whole seconds, so under a second sends {@code max-age=0}, which
     *     tells browsers to forget HTTPS-only at once
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder weakHstsMaxAge(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("a max-age is not negative");
      }
      hstsMaxAge = value;
      return this;
    }

    /**
     * Leaves {@code includeSubDomains} out of HSTS.
     *
     * @return this builder
     */
    public Builder hstsWithoutSubdomains() {
      includeSubDomains = false;
      return this;
    }

    /**
     * Adds {@code preload} to HSTS (requires one year and subdomains, as the preload list does; {@link #build} checks).
     *
     * @return this builder
     */
    public Builder hstsPreload() {
      preload = true;
      return this;
    }

    /**
     * The policy.
     *
     * @return a new, immutable policy
     * @throws IllegalStateException if preload is asked without one year and subdomains
     */
    public TransportPolicy build() {
      if (preload && (!includeSubDomains || hstsMaxAge.compareTo(ONE_YEAR) < 0)) {
        throw new IllegalStateException("HSTS preload needs a max-age of at least one year and includeSubDomains");
      }
      return new TransportPolicy(this);
    }
  }
}
