package dev.safeguards.authn;

import dev.safeguards.authn.AuthenticationException.Reason;
import dev.safeguards.authn.RefreshTokenStore.StoredRefreshToken;
import dev.safeguards.identity.UuidV7Generator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opaque refresh tokens, rotated on every use, with reuse detection (OAuth 2.0 Security BCP, RFC 9700 section 4.14).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A token is {@code rt1.} followed by 256 random bits; only its SHA-256 hash is stored.
 *   <li>Each {@link #rotate} consumes the token presented and returns a new one of the same family. A token presented
 *       a second time means that it was stolen, or that the thief already used it: the whole family is revoked, and
 *       its session ({@code sid:<sid>}) goes on the {@link RevocationList} so that its access tokens stop working too.
 *   <li>A family ends at a fixed time after the login (12 hours by default); rotation never extends it.
 * </ul>
 * Thread-safe when the store is.
 */
public final class RefreshTokens {

  private static final Logger LOG = LoggerFactory.getLogger(RefreshTokens.class);
  private static final String PREFIX = "rt1.";

  private final RefreshTokenStore store;
  private final RevocationList revocations;
  private final Duration familyLifetime;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final UuidV7Generator ids;

  private RefreshTokens(RefreshTokenStore store, RevocationList revocations, Duration familyLifetime, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    if (familyLifetime.compareTo(Duration.ofMinutes(5)) < 0 || familyLifetime.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException("a refresh token family lives 5 minutes to 30 days");
    }
    this.familyLifetime = familyLifetime;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = UuidV7Generator.create(clock);
  }

  /**
   * Refresh tokens kept in {@code store}, whose families last {@code familyLifetime} from the login.
   *
   * @param store where token hashes are kept; not null
   * @param revocations where a reused family's session is revoked; the access token verifier must consult the same
   *     list. Not null
   * @param familyLifetime how long a family lasts from the login, 5 minutes to 30 days
   * @param clock the clock families are dated by; not null
   * @return the refresh tokens
   * @throws IllegalArgumentException unless the lifetime is between 5 minutes and 30 days
   * @throws NullPointerException if an argument is null
   */
  public static RefreshTokens create(RefreshTokenStore store, RevocationList revocations, Duration familyLifetime,
      Clock clock) {
    return new RefreshTokens(store, revocations, familyLifetime, clock);
  }

  /**
   * A new token and what it refreshes. {@link #toString()} never shows the token.
   *
   * @param token the refresh token to hand to the client, {@code rt1.} and 43 base64url characters; a credential,
   *     never to be logged
   * @param grant what the family grants, to mint the next access token from
   * @param familyExpiresAt when the family ends; no token of it works after this
   */
  public record Issued(String token, AccessGrant grant, Instant familyExpiresAt) {
    /**
     * Checks every component.
     *
     * @param token the refresh token; not null
     * @param grant what the family grants; not null
     * @param familyExpiresAt when the family ends; not null
     * @throws NullPointerException if a component is null
     */
    public Issued {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(grant, "grant");
      Objects.requireNonNull(familyExpiresAt, "familyExpiresAt");
    }

    @Override
    public String toString() {
      return "Issued[family ends " + familyExpiresAt + "]";
    }
  }

  /**
   * Starts a family at login. Return the token to the client once; it is not stored.
   *
   * @param grant what the family grants; its session id is revoked if a token of the family is reused. Not null
   * @return the first token of a new family, which ends {@code familyLifetime} from now
   * @throws NullPointerException if {@code grant} is null
   * @throws IllegalStateException if the in-memory store is full of live tokens
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  public Issued issue(AccessGrant grant) {
    Objects.requireNonNull(grant, "grant");
    return issue(ids.next().toString(), grant, clock.instant().plus(familyLifetime));
  }

  /**
   * Consumes {@code presented} and returns its successor, with the grant to mint the next access token from.
   *
   * @param presented the refresh token the client sent; null and malformed tokens are refused like unknown ones
   * @return the successor, in the same family and ending at the same time
   * @throws IllegalStateException if the in-memory store is full of live tokens (the presented token is then spent)
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   * @throws AuthenticationException {@code INVALID_CREDENTIALS} if unknown or malformed, {@code REVOKED} if its family
   *     was revoked, {@code EXPIRED} if its family ended, {@code REFRESH_REUSED} if it was used before (its family and
   *     session are then revoked)
   */
  public Issued rotate(String presented) throws AuthenticationException {
    if (presented == null || !presented.startsWith(PREFIX) || presented.length() != PREFIX.length() + 43) {
      throw new AuthenticationException(Reason.INVALID_CREDENTIALS, "not a refresh token");
    }
    String hash = hash(presented);
    StoredRefreshToken stored = store.find(hash)
        .orElseThrow(() -> new AuthenticationException(Reason.INVALID_CREDENTIALS, "unknown refresh token"));
    if (store.isFamilyRevoked(stored.familyId())) {
      throw new AuthenticationException(Reason.REVOKED, "refresh token family " + stored.familyId() + " is revoked");
    }
    if (!clock.instant().isBefore(stored.expiresAt())) {
      throw new AuthenticationException(Reason.EXPIRED, "refresh token family " + stored.familyId() + " has ended");
    }
    if (!store.markUsed(hash)) {
      revokeFamily(stored);
      LOG.warn("refresh token of family {} (user {}, session {}) used twice: family and session revoked",
          stored.familyId(), stored.grant().user(), stored.grant().sessionId());
      throw new AuthenticationException(Reason.REFRESH_REUSED, "refresh token of family " + stored.familyId()
          + " reused");
    }
    return issue(stored.familyId(), stored.grant(), stored.expiresAt());
  }

  /**
   * Revokes the family of a token and its session, e.g. at logout. Unknown tokens are ignored.
   *
   * @param presented the refresh token the client sent; null or malformed is ignored
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  public void revoke(String presented) {
    if (presented != null && presented.startsWith(PREFIX)) {
      store.find(hash(presented)).ifPresent(this::revokeFamily);
    }
  }

  private void revokeFamily(StoredRefreshToken stored) {
    store.revokeFamily(stored.familyId());
    revocations.revoke("sid:" + stored.grant().sessionId(), stored.expiresAt());
  }

  private Issued issue(String familyId, AccessGrant grant, Instant familyExpiresAt) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    store.save(new StoredRefreshToken(hash(token), familyId, grant, familyExpiresAt));
    return new Issued(token, grant, familyExpiresAt);
  }

  static String hash(String token) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
