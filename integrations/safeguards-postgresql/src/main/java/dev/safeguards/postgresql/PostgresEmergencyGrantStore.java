package dev.safeguards.postgresql;

import dev.safeguards.access.EmergencyGrant;
import dev.safeguards.access.EmergencyGrantStore;
import dev.safeguards.access.Permission;
import dev.safeguards.compliance.Described;
import dev.safeguards.identity.UserId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link PostgresState#emergencyGrants}: one row per grant in {@code emergency_grant}, kept until {@link #KEPT} after
 * the grant ends (for a review of what it was), then deleted. Storing a grant is one upsert; a user's grants one
 * indexed query.
 */
final class PostgresEmergencyGrantStore implements EmergencyGrantStore, Described {

  /** How long a grant is kept after it ends. */
  static final Duration KEPT = Duration.ofDays(1);

  private static final String COLUMNS = "id, user_id, resource_type, resource_id, permissions, purpose_of_use, "
      + "opened_at, expires_at, revoked_at";

  private final PostgresState state;
  private final String table;
  private final Purge purge = new Purge();

  PostgresEmergencyGrantStore(PostgresState state) {
    this.state = state;
    this.table = state.table("emergency_grant");
  }

  @Override
  public void put(EmergencyGrant g) {
    Instant now = state.now();
    state.run(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " (" + COLUMNS + ", forget_after) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, "
          + "resource_type = excluded.resource_type, resource_id = excluded.resource_id, "
          + "permissions = excluded.permissions, purpose_of_use = excluded.purpose_of_use, "
          + "opened_at = excluded.opened_at, expires_at = excluded.expires_at, revoked_at = excluded.revoked_at, "
          + "forget_after = excluded.forget_after")) {
        p.setString(1, g.id());
        p.setObject(2, UUID.fromString(g.user().toString()));
        p.setString(3, g.resourceType());
        p.setString(4, g.resourceId().orElse(null));
        p.setArray(5, Sql.texts(c, g.permissions().stream().map(Permission::toString).toList()));
        p.setString(6, g.purposeOfUse());
        p.setObject(7, Sql.time(g.openedAt()));
        p.setObject(8, Sql.time(g.expiresAt()));
        p.setObject(9, g.revokedAt().map(Sql::time).orElse(null));
        p.setObject(10, Sql.time(g.expiresAt().plus(KEPT)));
        p.executeUpdate();
      }
      if (purge.due(now)) {
        Sql.purge(c, table, "forget_after", now);
      }
      return null;
    });
  }

  @Override
  public Optional<EmergencyGrant> find(String id) {
    List<EmergencyGrant> found = query("id = ?", id);
    return found.stream().findFirst();
  }

  @Override
  public List<EmergencyGrant> forUser(UserId user) {
    return query("user_id = ?", UUID.fromString(user.toString()));
  }

  private List<EmergencyGrant> query(String where, Object value) {
    Instant now = state.now();
    return state.run(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + " WHERE " + where
          + " AND forget_after > ? ORDER BY expires_at, id")) {
        p.setObject(1, value);
        p.setObject(2, Sql.time(now));
        List<EmergencyGrant> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(grant(rs));
          }
        }
        return out;
      }
    });
  }

  private static EmergencyGrant grant(ResultSet rs) throws SQLException {
    Set<Permission> permissions = new LinkedHashSet<>();
    for (String p : Sql.texts(rs.getArray("permissions"))) {
      permissions.add(Permission.parse(p));
    }
    return new EmergencyGrant(rs.getString("id"), UserId.parse(rs.getString("user_id")),
        rs.getString("resource_type"), Optional.ofNullable(rs.getString("resource_id")), permissions,
        rs.getString("purpose_of_use"), Sql.instant(rs, "opened_at"), Sql.instant(rs, "expires_at"),
        Optional.ofNullable(Sql.instant(rs, "revoked_at")));
  }

  @Override
  public String describe() {
    return state.describe("PostgresEmergencyGrantStore");
  }
}
