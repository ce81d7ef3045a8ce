package dev.safeguards.authn;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an access token must be to be accepted (164.312(d) person or entity authentication). Immutable; build one with
 * {@link #builder}, secure by default:
 *
 * <ul>
 *   <li>Algorithms EdDSA, ES256, PS256 and RS256; HMAC only after
 *       {@link Builder#allowHmacAlgorithmsWithSharedSecrets()}; {@code none} never. The key must fit the algorithm.
 *   <li>{@code exp}, {@code iat}, {@code iss}, {@code aud} and {@code sub} required; {@code iss} and {@code aud} must be
 *       the configured ones.
 *   <li>At most 15 minutes between {@code iat} and {@code exp}, a token at most 15 minutes old, 30 seconds of clock
 *       skew; an {@code iat} or {@code nbf} in the future is refused.
 *   <li>Tokens of at most 8 KiB; {@code jku}, {@code x5u}, {@code jwk} and {@code x5c} headers, compressed payloads and
 *       any {@code crit} header refused.
 *   <li>Subjects must be UUIDs ({@link SubjectMapping#uuidSubjects()}) unless another mapping is chosen.
 * </ul>
 */
public final class TokenPolicy {

  /** RFC 8176 {@code amr} values that show a second factor (possession or inherence). */
  public static final Set<String> SECOND_FACTOR_METHODS =
      Set.of("mfa", "otp", "hwk", "swk", "sms", "tel", "sc", "fpt", "face", "iris", "retina", "vbm", "mca");

  final String issuer;
  final String audience;
  final JwkSource keys;
  final Set<JwsAlgorithm> algorithms;
  final Duration maxLifetime;
  final Duration maxAge;
  final Duration clockSkew;
  final Optional<String> type;
  final boolean requireMfa;
  final Set<String> acceptedAcr;
  final Set<String> refusedSubjects;
  final SubjectMapping subjects;
  final List<String> rolesClaim;
  final int maxTokenBytes;
  final Optional<RevocationList> revocations;
  final Clock clock;
  final boolean clientIdAsAudience;
  final int verifiedTokenCache;
  /** How many verified tokens are remembered unless the builder says otherwise. */
  static final int DEFAULT_VERIFIED_TOKEN_CACHE = 10_000;

  private TokenPolicy(Builder b) {
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.keys = b.keys;
    this.algorithms = Set.copyOf(b.algorithms);
    this.maxLifetime = b.maxLifetime;
    this.maxAge = b.maxAge;
    this.clockSkew = b.clockSkew;
    this.type = b.type;
    this.requireMfa = b.requireMfa;
    this.acceptedAcr = Set.copyOf(b.acceptedAcr);
    this.refusedSubjects = Set.copyOf(b.refusedSubjects);
    this.subjects = b.subjects;
    this.rolesClaim = List.copyOf(b.rolesClaim);
    this.maxTokenBytes = b.maxTokenBytes;
    this.revocations = b.revocations;
    this.clock = b.clock;
    this.clientIdAsAudience = b.clientIdAsAudience;
    this.verifiedTokenCache = b.verifiedTokenCache;
  }

  /**
   * Starts a policy for tokens of one issuer, for one audience, with keys from {@code keys}.
   *
   * @param issuer the exact {@code iss} value, e.g. {@code https://idp.example.org/realms/clinic}; not blank
   * @param audience the {@code aud} value that names this API; not blank
   * @param keys where the verification keys come from; not null
   * @return a new builder at the secure defaults above
   * @throws IllegalArgumentException if {@code issuer} or {@code audience} is blank
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(String issuer, String audience, JwkSource keys) {
    return new Builder(issuer, audience, keys);
  }

  /**
   * The accepted issuer.
   *
   * @return the exact {@code iss} value a token must carry
   */
  public String issuer() {
    return issuer;
  }

  /**
   * The required audience.
   *
   * @return the value a token's {@code aud} must name
   */
  public String audience() {
    return audience;
  }

  /**
   * The accepted algorithms.
   *
   * @return an unmodifiable set, never empty
   */
  public Set<JwsAlgorithm> algorithms() {
    return algorithms;
  }

  /**
   * The longest accepted {@code exp - iat}.
   *
   * @return the longest lifetime, 1 minute to 1 day
   */
  public Duration maxLifetime() {
    return maxLifetime;
  }

  /**
   * Whether a second factor is required.
   *
   * @return true if {@link Builder#requireMfa} was set
   */
  public boolean requiresMfa() {
    return requireMfa;
  }

  /** Configures a {@link TokenPolicy}; each setting is checked when set. */
  public static final class Builder {
    private final String issuer;
    private final String audience;
    private final JwkSource keys;
    private Set<JwsAlgorithm> algorithms =
        EnumSet.of(JwsAlgorithm.EDDSA, JwsAlgorithm.ES256, JwsAlgorithm.PS256, JwsAlgorithm.RS256);
    private Duration maxLifetime = Duration.ofMinutes(15);
    private Duration maxAge = Duration.ofMinutes(15);
    private Duration clockSkew = Duration.ofSeconds(30);
    private Optional<String> type = Optional.empty();
    private boolean requireMfa;
    private Set<String> acceptedAcr = Set.of();
    private Set<String> refusedSubjects = Set.of();
    private SubjectMapping subjects = SubjectMapping.uuidSubjects();
    private List<String> rolesClaim = List.of("roles");
    private int maxTokenBytes = 8 * 1024;
    private Optional<RevocationList> revocations = Optional.empty();
    private Clock clock = Clock.systemUTC();
    private boolean hmacAllowed;
    private boolean clientIdAsAudience;
    private int verifiedTokenCache = DEFAULT_VERIFIED_TOKEN_CACHE;

    private Builder(String issuer, String audience, JwkSource keys) {
      this.issuer = requireText(issuer, "issuer");
      this.audience = requireText(audience, "audience");
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * The accepted algorithms, replacing the default. HMAC algorithms need
     * {@link #allowHmacAlgorithmsWithSharedSecrets()} first.
     *
     * @param allowed the algorithms; at least one, none null
     * @return this builder
     * @throws IllegalArgumentException if none is given, or an HMAC algorithm is given without the opt-in
     * @throws NullPointerException if an algorithm is null
     */
    public Builder algorithms(JwsAlgorithm... allowed) {
      if (allowed.length == 0) {
        throw new IllegalArgumentException("allow at least one algorithm");
      }
      Set<JwsAlgorithm> set = EnumSet.copyOf(List.of(allowed));
      if (!hmacAllowed && set.stream().anyMatch(JwsAlgorithm::isSymmetric)) {
        throw new IllegalArgumentException("HMAC algorithms need allowHmacAlgorithmsWithSharedSecrets() first");
      }
      this.algorithms = set;
      return this;
    }

    /**
     * Opts in to HMAC-signed tokens (HS256/384/512), verified with shared secrets of at least 256/384/512 bits. Anyone
     * who can verify such a token can also forge one: use it only when this API is its own token issuer. HMAC
     * algorithms are then still to be listed with {@link #algorithms}, after this call, and the key source must be
     * {@link JwkSource#ofIncludingSharedSecrets}.
     *
     * @return this builder
     */
    public Builder allowHmacAlgorithmsWithSharedSecrets() {
      this.hmacAllowed = true;
      return this;
    }

    /**
     * The longest accepted lifetime {@code exp - iat} (default 15 minutes).
     *
     * @param lifetime from 1 minute to 1 day inclusive
     * @return this builder
     * @throws NullPointerException if {@code lifetime} is null
     * @throws IllegalArgumentException unless between 1 minute and 1 day
     */
    public Builder maxLifetime(Duration lifetime) {
      this.maxLifetime = within(lifetime, Duration.ofMinutes(1), Duration.ofDays(1), "maxLifetime");
      return this;
    }

    /**
     * The oldest accepted token, measured from {@code iat} (default 15 minutes).
     *
     * @param age from 1 minute to 1 day inclusive, and longer than the clock skew
     * @return this builder
     * @throws NullPointerException if {@code age} is null
     * @throws IllegalArgumentException unless between 1 minute and 1 day
     */
    public Builder maxAge(Duration age) {
      this.maxAge = within(age, Duration.ofMinutes(1), Duration.ofDays(1), "maxAge");
      return this;
    }

    /**
     * The tolerated clock difference with the issuer (default 30 seconds). Used in whole seconds.
     *
     * @param skew from zero to 5 minutes inclusive
     * @return this builder
     * @throws NullPointerException if {@code skew} is null
     * @throws IllegalArgumentException unless between 0 and 5 minutes
     */
    public Builder clockSkew(Duration skew) {
      this.clockSkew = within(skew, Duration.ZERO, Duration.ofMinutes(5), "clockSkew");
      return this;
    }

    /**
     * Requires the {@code typ} header, e.g. {@code at+jwt} for RFC 9068 access tokens (compared case-insensitively,
     * with or without the {@code application/} prefix). Not required unless set.
     *
     * @param type the media type, e.g. {@code at+jwt}; not blank
     * @return this builder
     * @throws IllegalArgumentException if {@code type} is blank
     * @throws NullPointerException if {@code type} is null
     */
    public Builder expectType(String type) {
      this.type = Optional.of(requireText(type, "type").toLowerCase(Locale.ROOT));
      return this;
    }

    /**
     * Requires a second factor: an {@code amr} value among {@link TokenPolicy#SECOND_FACTOR_METHODS}, or an
     * {@code acr} value given here (e.g. Okta's {@code urn:okta:loa:2fa:any}). Not required unless set.
     *
     * @param acceptedAcrValues {@code acr} values that count as a second factor, compared exactly, replacing any given
     *     before; none, no null, no duplicate
     * @return this builder
     * @throws IllegalArgumentException if a value is given twice
     * @throws NullPointerException if a value is null
     */
    public Builder requireMfa(String... acceptedAcrValues) {
      this.requireMfa = true;
      this.acceptedAcr = Set.of(acceptedAcrValues);
      return this;
    }

    /**
     * Subjects that never identify one person (shared or service accounts) and are refused ({@code
     * INVALID_SUBJECT}).
     *
     * @param subjects {@code sub} values, compared exactly, replacing any given before; no null, no duplicate
     * @return this builder
     * @throws IllegalArgumentException if a subject is given twice
     * @throws NullPointerException if a subject is null
     */
    public Builder refuseSubjects(String... subjects) {
      this.refusedSubjects = Set.of(subjects);
      return this;
    }

    /**
     * How subjects become user ids (default {@link SubjectMapping#uuidSubjects()}).
     *
     * @param mapping the mapping; not null
     * @return this builder
     * @throws NullPointerException if {@code mapping} is null
     */
    public Builder subjectMapping(SubjectMapping mapping) {
      this.subjects = Objects.requireNonNull(mapping, "mapping");
      return this;
    }

    /**
     * The claim that holds the roles, as the names leading to it (default {@code "roles"}; Keycloak
     * {@code "realm_access", "roles"}, Okta {@code "groups"}, Cognito {@code "cognito:groups"}, Auth0 a namespaced
     * claim such as {@code "https://clinic.example/roles"}). It may hold an array of strings or one space-separated
     * string. A token without the claim has no roles.
     *
     * @param path the names leading to the claim, outermost first; at least one, none blank
     * @return this builder
     * @throws IllegalArgumentException if no name is given, or one is blank
     * @throws NullPointerException if a name is null
     */
    public Builder rolesClaim(String... path) {
      if (path.length == 0) {
        throw new IllegalArgumentException("name the roles claim");
      }
      for (String part : path) {
        requireText(part, "path");
      }
      this.rolesClaim = List.of(path);
      return this;
    }

    /**
     * Accepts a token without {@code aud} when its {@code client_id} is the configured audience: Amazon Cognito access
     * tokens name their client that way. A token that has an {@code aud} must still name the audience. Off unless
     * set.
     *
     * @return this builder
     */
    public Builder acceptClientIdAsAudience() {
      this.clientIdAsAudience = true;
      return this;
    }

    /**
     * The largest accepted token (default 8 KiB).
     *
     * @param bytes the limit in bytes of the compact JWS, 512 to 65536
     * @return this builder
     * @throws IllegalArgumentException unless between 512 bytes and 64 KiB
     */
    public Builder maxTokenBytes(int bytes) {
      if (bytes < 512 || bytes > 64 * 1024) {
        throw new IllegalArgumentException("maxTokenBytes must be between 512 and 65536");
      }
      this.maxTokenBytes = bytes;
      return this;
    }

    /**
     * Refuses tokens whose {@code jti} or {@code sid} is on this list ({@code REVOKED}). No list is consulted unless
     * set.
     *
     * @param list the revocation list, as logout and {@link RefreshTokens} write to it; not null
     * @return this builder
     * @throws NullPointerException if {@code list} is null
     */
    public Builder revocations(RevocationList list) {
      this.revocations = Optional.of(Objects.requireNonNull(list, "list"));
      return this;
    }

    /**
     * Remembers up to {@code maxEntries} verified tokens (10,000 unless set; 0 turns the cache off), keyed by their
     * SHA-256, so that a client sending the same token again is not verified again: a hit costs one hash and a few
     * lookups instead of parsing and a signature check. Every hit checks again what can have changed since the token
     * was verified: its {@code exp} and the policy's maximum age against the clock, the revocation list, and that the
     * key which verified it is still the key source's key for its {@code kid} (if not, the token is verified afresh,
     * so removing a key from the source stops its tokens at once). A refused token is never cached; when the cache
     * is full of unexpired tokens, new ones are verified every time.
     *
     * @param maxEntries the most tokens remembered, 0 to 1,000,000
     * @return this builder
     * @throws IllegalArgumentException unless 0 to 1,000,000
     */
    public Builder cacheVerifiedTokens(int maxEntries) {
      if (maxEntries < 0 || maxEntries > 1_000_000) {
        throw new IllegalArgumentException("a verified-token cache holds 0 to 1,000,000 tokens");
      }
      this.verifiedTokenCache = maxEntries;
      return this;
    }

    /**
     * The clock that judges times (default: the system UTC clock).
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
     * Builds the policy.
     *
     * @return a new, immutable policy
     * @throws IllegalStateException if {@code maxAge} is not longer than the clock skew
     */
    public TokenPolicy build() {
      if (maxAge.compareTo(clockSkew) <= 0) {
        throw new IllegalStateException("maxAge must exceed the clock skew");
      }
      return new TokenPolicy(this);
    }

    private static Duration within(Duration d, Duration min, Duration max, String name) {
      Objects.requireNonNull(d, name);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
      }
      return d;
    }

    private static String requireText(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }

  @Override
  public String toString() {
    List<String> algs = new ArrayList<>();
    algorithms.forEach(a -> algs.add(a.id()));
    return "TokenPolicy[iss=" + issuer + ", aud=" + audience + ", alg=" + algs + ", maxLifetime=" + maxLifetime
        + ", mfa=" + requireMfa + "]";
  }
}
