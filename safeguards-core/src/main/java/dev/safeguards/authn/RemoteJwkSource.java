package dev.safeguards.authn;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JWK set of an identity provider, fetched from its JWKS URL (Keycloak's {@code .../protocol/openid-connect/certs},
 * Auth0's and Okta's {@code .../.well-known/jwks.json}, Cognito's {@code .../.well-known/jwks.json}).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Only the configured URL is fetched, over HTTPS (plain HTTP only to a loopback address, by a named opt-in for
 *       tests), without following redirects, with a connect timeout (2 s), a request timeout (5 s) and a size limit
 *       (512 KiB).
 *   <li>The set is cached. A token naming an unknown {@code kid} triggers a refetch at most once per
 *       {@code minRefreshInterval} (1 minute), so forged key ids cannot flood the provider; the set is refetched after
 *       {@code maxAge} (1 hour).
 *   <li>When a refetch fails, the last good set keeps serving for up to {@code staleFor} (1 hour) after it expired;
 *       past that, or before the first success, {@link #find} fails with {@code KEYS_UNAVAILABLE} (fail closed).
 * </ul>
 * Thread-safe. Looking up a known key in a current set takes no lock, since the token verifier asks on every request
 * (its cache hits too); fetching happens under a lock, which only lookups that need a fetch wait for.
 */
public final class RemoteJwkSource implements JwkSource {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteJwkSource.class);
  private static final int MAX_BYTES = 512 * 1024;

  private final URI uri;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Duration minRefreshInterval;
  private final Duration maxAge;
  private final Duration staleFor;
  private final Clock clock;

  /** The last good set and when it was fetched; read without the lock on the common path. */
  private record Fetched(Map<String, JsonWebKey> keys, Instant at) {}

  private volatile Fetched fetched;
  private Instant lastAttempt;

  private RemoteJwkSource(Builder b) {
    this.uri = b.uri;
    this.http = HttpClient.newBuilder().connectTimeout(b.connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.requestTimeout = b.requestTimeout;
    this.minRefreshInterval = b.minRefreshInterval;
    this.maxAge = b.maxAge;
    this.staleFor = b.staleFor;
    this.clock = b.clock;
  }

  static Builder builder(URI uri) {
    return new Builder(uri);
  }

  @Override
  public Optional<JsonWebKey> find(String keyId) throws AuthenticationException {
    // The common case, a known kid in a set that has not expired, takes no lock: every request asks.
    Fetched f = fetched;
    if (f != null && f.keys().containsKey(keyId) && !clock.instant().isAfter(f.at().plus(maxAge))) {
      return Optional.of(f.keys().get(keyId));
    }
    return findOrFetch(keyId);
  }

  private synchronized Optional<JsonWebKey> findOrFetch(String keyId) throws AuthenticationException {
    Instant now = clock.instant();
    Fetched f = fetched;
    boolean expired = f == null || now.isAfter(f.at().plus(maxAge));
    boolean unknownKid = f != null && !f.keys().containsKey(keyId);
    boolean mayFetch = lastAttempt == null || !now.isBefore(lastAttempt.plus(minRefreshInterval));
    if ((expired || unknownKid) && mayFetch) {
      lastAttempt = now;
      try {
        f = new Fetched(Map.copyOf(fetch()), now);
        fetched = f;
      } catch (IOException | IllegalArgumentException e) {
        LOG.warn("cannot fetch the JWK set {}: {}", uri, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AuthenticationException(AuthenticationException.Reason.KEYS_UNAVAILABLE,
            "interrupted while fetching the JWK set " + uri);
      }
    }
    if (f == null || now.isAfter(f.at().plus(maxAge).plus(staleFor))) {
      throw new AuthenticationException(AuthenticationException.Reason.KEYS_UNAVAILABLE,
          "no current JWK set from " + uri);
    }
    return Optional.ofNullable(f.keys().get(keyId));
  }

  private Map<String, JsonWebKey> fetch() throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
        .header("Accept", "application/jwk-set+json, application/json").GET().build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP status " + response.statusCode());
      }
      byte[] bytes = body.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new IOException("the JWK set is larger than 512 KiB");
      }
      Map<String, JsonWebKey> parsed = JwkSets.parse(new String(bytes, StandardCharsets.UTF_8), false);
      LOG.info("fetched the JWK set {}: {} keys", uri, parsed.size());
      return parsed;
    }
  }

  @Override
  public String toString() {
    return "RemoteJwkSource[" + uri + "]";
  }

  /** Configures a {@link RemoteJwkSource}. */
  public static final class Builder {
    private final URI uri;
    private boolean plainHttpForLoopback;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration requestTimeout = Duration.ofSeconds(5);
    private Duration minRefreshInterval = Duration.ofMinutes(1);
    private Duration maxAge = Duration.ofHours(1);
    private Duration staleFor = Duration.ofHours(1);
    private Clock clock = Clock.systemUTC();

    private Builder(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    /**
     * Allows {@code http://} when the host is a loopback address (every address it resolves to when {@link #build}
     * runs): for tests against a local server only. Off unless set.
     *
     * @return this builder
     */
    public Builder allowPlainHttpForLoopback() {
      this.plainHttpForLoopback = true;
      return this;
    }

    /**
     * Connect and request timeouts (defaults 2 s and 5 s; each at most 30 s).
     *
     * @param connect how long to wait for the connection; positive, at most 30 seconds
     * @param request how long to wait for the response after sending the request; positive, at most 30 seconds
     * @return this builder
     * @throws IllegalArgumentException if either is not positive or is over 30 seconds
     * @throws NullPointerException if either is null
     */
    public Builder timeouts(Duration connect, Duration request) {
      this.connectTimeout = bounded(connect, Duration.ofSeconds(30), "connect timeout");
      this.requestTimeout = bounded(request, Duration.ofSeconds(30), "request timeout");
      return this;
    }

    /**
     * The least time between two fetches triggered by unknown key ids (default 1 minute; at least 1 second). It also
     * spaces retries while the provider cannot be reached.
     *
     * @param interval the interval; at least one second
     * @return this builder
     * @throws IllegalArgumentException if under one second
     * @throws NullPointerException if {@code interval} is null
     */
    public Builder minRefreshInterval(Duration interval) {
      if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("minRefreshInterval must be at least one second");
      }
      this.minRefreshInterval = interval;
      return this;
    }

    /**
     * How long a fetched set is used before it is fetched again (default 1 hour; at most 1 day).
     *
     * @param maxAge the age at which the set is refetched; positive, at most one day
     * @return this builder
     * @throws IllegalArgumentException if not positive or over one day
     * @throws NullPointerException if {@code maxAge} is null
     */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = bounded(maxAge, Duration.ofDays(1), "maxAge");
      return this;
    }

    /**
     * How long past {@code maxAge} the last set keeps serving while refetches fail (default 1 hour; at most 1 day).
     *
     * @param staleFor the grace period; zero (no grace) to one day
     * @return this builder
     * @throws IllegalArgumentException if negative or over one day
     * @throws NullPointerException if {@code staleFor} is null
     */
    public Builder staleFor(Duration staleFor) {
      if (staleFor.isNegative() || staleFor.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("staleFor must be between 0 and 1 day");
      }
      this.staleFor = staleFor;
      return this;
    }

    /**
     * The clock that ages the cache (default: the system UTC clock).
     *
     * @param clock the clock; not null
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the source. Nothing is fetched until the first key is looked up.
     *
     * @return a new source
     * @throws IllegalArgumentException if the URL is not https (or http to loopback with the opt-in), or has user
     *     information or a fragment
     */
    public RemoteJwkSource build() {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException("the JWKS URL must be absolute, without user information or fragment");
      }
      if (!scheme.equals("https") && !(scheme.equals("http") && plainHttpForLoopback && isLoopback(uri.getHost()))) {
        throw new IllegalArgumentException("the JWKS URL must use https");
      }
      return new RemoteJwkSource(this);
    }

    private static boolean isLoopback(String host) {
      try {
        for (InetAddress a : InetAddress.getAllByName(host)) {
          if (!a.isLoopbackAddress()) {
            return false;
          }
        }
        return true;
      } catch (UnknownHostException e) {
        return false;
      }
    }

    private static Duration bounded(Duration d, Duration max, String what) {
      if (d.isNegative() || d.isZero() || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(what + " must be positive and at most " + max);
      }
      return d;
    }
  }
}
