package dev.safeguards.authn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.KeyedSignature;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.UuidV7Generator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issues short-lived access tokens for applications that are their own authorization server (164.312(d)): RFC 9068
 * JWTs ({@code typ: at+jwt}) signed with the primary key of a token-signing {@link SigningKeyset} (EdDSA or ES256),
 * which {@link TokenVerifier} verifies from {@link SigningKeyset#publicJwks()}.
 *
 * <p>Each token carries {@code iss}, {@code sub} (the user id), {@code aud}, {@code iat}, {@code exp}, a UUIDv7
 * {@code jti}, {@code sid}, {@code auth_time}, {@code amr}, {@code roles}, {@code scope} and, when known,
 * {@code client_id}. Lifetime 10 minutes by default, 15 at most. Thread-safe.
 */
public final class AccessTokenIssuer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SigningKeyset keys;
  private final String issuer;
  private final String audience;
  private final Duration lifetime;
  private final Clock clock;
  private final UuidV7Generator ids;

  private AccessTokenIssuer(Builder b) {
    this.keys = b.keys;
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.lifetime = b.lifetime;
    this.clock = b.clock;
    this.ids = UuidV7Generator.create(b.clock);
  }

  /**
   * Starts configuring an issuer.
   *
   * @param keys the token-signing keyset (Ed25519 or P-256); its primary key signs, its public JWKS verifies
   * @param issuer the {@code iss} of every token, e.g. {@code https://auth.example.org}; not null
   * @param audience the {@code aud} of every token, as the resource server's {@link TokenPolicy} expects; not null
   * @return a new builder: 10-minute tokens, the system UTC clock
   * @throws IllegalArgumentException if {@code keys} is an HMAC keyset
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(SigningKeyset keys, String issuer, String audience) {
    return new Builder(keys, issuer, audience);
  }

  /**
   * The token's lifetime.
   *
   * @return the time from {@code iat} to {@code exp}, 1 to 15 minutes
   */
  public Duration lifetime() {
    return lifetime;
  }

  /**
   * Issues one access token for {@code grant}, valid from now for {@link #lifetime()}, with a new {@code jti}.
   *
   * @param grant what the token grants; not null
   * @return the compact JWS, {@code header.payload.signature}; a bearer credential, never to be logged
   * @throws NullPointerException if {@code grant} is null
   * @throws IllegalStateException if the keyset can only verify
   */
  public String issue(AccessGrant grant) {
    Objects.requireNonNull(grant, "grant");
    long now = clock.instant().getEpochSecond();
    ObjectNode claims = JSON.createObjectNode();
    claims.put("iss", issuer);
    claims.put("sub", grant.user().toString());
    claims.put("aud", audience);
    claims.put("iat", now);
    claims.put("exp", now + lifetime.toSeconds());
    claims.put("jti", ids.next().toString());
    claims.put("sid", grant.sessionId());
    claims.put("auth_time", grant.authenticatedAt().getEpochSecond());
    strings(claims.putArray("amr"), grant.authenticationMethods());
    strings(claims.putArray("roles"), grant.roles());
    if (!grant.scopes().isEmpty()) {
      claims.put("scope", String.join(" ", new TreeSet<>(grant.scopes())));
    }
    grant.clientId().ifPresent(c -> claims.put("client_id", c));
    String payload = b64(claims.toString());
    AtomicReference<String> signingInput = new AtomicReference<>();
    KeyedSignature signature = keys.signNamingKey(kid -> {
      signingInput.set(header(kid) + "." + payload);
      return signingInput.get().getBytes(StandardCharsets.US_ASCII);
    });
    return signingInput.get() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.value());
  }

  private String header(KeyId kid) {
    ObjectNode header = JSON.createObjectNode();
    header.put("alg", keys.algorithm().equals("Ed25519") ? "EdDSA" : "ES256");
    header.put("kid", kid.toString());
    header.put("typ", "at+jwt");
    return b64(header.toString());
  }

  private static void strings(ArrayNode array, Set<String> values) {
    new TreeSet<>(values).forEach(array::add);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Configures an {@link AccessTokenIssuer}. */
  public static final class Builder {
    private final SigningKeyset keys;
    private final String issuer;
    private final String audience;
    private Duration lifetime = Duration.ofMinutes(10);
    private Clock clock = Clock.systemUTC();

    private Builder(SigningKeyset keys, String issuer, String audience) {
      this.keys = Objects.requireNonNull(keys, "keys");
      if (keys.algorithm().equals("HS256")) {
        throw new IllegalArgumentException("access tokens are signed with EdDSA or ES256, not a MAC");
      }
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      this.audience = Objects.requireNonNull(audience, "audience");
    }

    /**
     * The tokens' lifetime (default 10 minutes).
     *
     * @param lifetime from 1 to 15 minutes inclusive; used in whole seconds
     * @return this builder
     * @throws IllegalArgumentException unless between 1 and 15 minutes
     */
    public Builder lifetime(Duration lifetime) {
      if (lifetime.compareTo(Duration.ofMinutes(1)) < 0 || lifetime.compareTo(Duration.ofMinutes(15)) > 0) {
        throw new IllegalArgumentException("an access token lives 1 to 15 minutes");
      }
      this.lifetime = lifetime;
      return this;
    }

    /**
     * The clock that dates tokens (default: the system UTC clock).
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
     * Builds the issuer.
     *
     * @return a new, thread-safe issuer
     */
    public AccessTokenIssuer build() {
      return new AccessTokenIssuer(this);
    }
  }
}
