package dev.safeguards.postgresql;

import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.RefreshTokenStore;
import dev.safeguards.compliance.Described;
import dev.safeguards.identity.UserId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link PostgresState#refreshTokens}: one row per token in {@code refresh_token}, by the token's hash (never the
 * token), deleted once its family has ended; marking it used is one conditional update, so of two replicas presenting
 * the same token at once exactly one sees it unused. A revoked family is a row in {@code refresh_family_revoked} kept
 * for {@link #FAMILY_MARK}, the longest a family may last.
 */
final class PostgresRefreshTokenStore implements RefreshTokenStore, Described {

  /** How long a revoked family is remembered: the longest family lifetime {@code RefreshTokens} allows. */
  static final Duration FAMILY_MARK = Duration.ofDays(30);

  private final PostgresState state;
  private final String tokens;
  private final String revoked;
  private final Purge purge = new Purge();

  PostgresRefreshTokenStore(PostgresState state) {
    this.state = state;
    this.tokens = state.table("refresh_token");
    this.revoked = state.table("refresh_family_revoked");
  }

  @Override
  public void save(StoredRefreshToken t) {
    Instant now = state.now();
    AccessGrant g = t.grant();
    state.run(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO " + tokens + " (token_hash, family_id, user_id, "
          + "roles, scopes, amr, authenticated_at, session_id, client_id, expires_at) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO UPDATE SET "
          + "family_id = excluded.family_id, user_id = excluded.user_id, roles = excluded.roles, "
          + "scopes = excluded.scopes, amr = excluded.amr, authenticated_at = excluded.authenticated_at, "
          + "session_id = excluded.session_id, client_id = excluded.client_id, expires_at = excluded.expires_at")) {
        p.setString(1, t.tokenHash());
        p.setString(2, t.familyId());
        p.setObject(3, UUID.fromString(g.user().toString()));
        p.setArray(4, Sql.texts(c, g.roles()));
        p.setArray(5, Sql.texts(c, g.scopes()));
        p.setArray(6, Sql.texts(c, g.authenticationMethods()));
        p.setObject(7, Sql.time(g.authenticatedAt()));
        p.setString(8, g.sessionId());
        p.setString(9, g.clientId().orElse(null));
        p.setObject(10, Sql.time(t.expiresAt()));
        p.executeUpdate();
      }
      if (purge.due(now)) {
        Sql.purge(c, tokens, "expires_at", now);
        Sql.purge(c, revoked, "forget_after", now);
      }
      return null;
    });
  }

  @Override
  public Optional<StoredRefreshToken> find(String tokenHash) {
    Instant now = state.now();
    return state.run(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT family_id, user_id, roles, scopes, amr, "
          + "authenticated_at, session_id, client_id, expires_at FROM " + tokens
          + " WHERE token_hash = ? AND expires_at > ?")) {
        p.setString(1, tokenHash);
        p.setObject(2, Sql.time(now));
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          AccessGrant grant = new AccessGrant(UserId.parse(rs.getString("user_id")), Sql.texts(rs.getArray("roles")),
              Sql.texts(rs.getArray("scopes")), Sql.texts(rs.getArray("amr")), Sql.instant(rs, "authenticated_at"),
              rs.getString("session_id"), Optional.ofNullable(rs.getString("client_id")));
          return Optional.of(new StoredRefreshToken(tokenHash, rs.getString("family_id"), grant,
              Sql.instant(rs, "expires_at")));
        }
      }
    });
  }

  @Override
  public boolean markUsed(String tokenHash) {
    Instant now = state.now();
    return state.run(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE " + tokens + " SET used = true "
          + "WHERE token_hash = ? AND NOT used AND expires_at > ?")) {
        p.setString(1, tokenHash);
        p.setObject(2, Sql.time(now));
        return p.executeUpdate() == 1;
      }
    });
  }

  @Override
  public void revokeFamily(String familyId) {
    Instant until = state.now().plus(FAMILY_MARK);
    state.run(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO " + revoked + " (family_id, forget_after) "
          + "VALUES (?, ?) ON CONFLICT (family_id) DO UPDATE SET forget_after = "
          + "greatest(" + revoked + ".forget_after, excluded.forget_after)")) {
        p.setString(1, familyId);
        p.setObject(2, Sql.time(until));
        return p.executeUpdate();
      }
    });
  }

  @Override
  public boolean isFamilyRevoked(String familyId) {
    Instant now = state.now();
    return state.run(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM " + revoked
          + " WHERE family_id = ? AND forget_after > ?")) {
        p.setString(1, familyId);
        p.setObject(2, Sql.time(now));
        try (ResultSet rs = p.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  @Override
  public String describe() {
    return state.describe("PostgresRefreshTokenStore");
  }
}
