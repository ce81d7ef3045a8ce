package dev.safeguards.audit;

import dev.safeguards.identity.UuidV7Generator;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Starts audit events: gives each a fresh UUIDv7 id and the time it was recorded, to the millisecond, from one
 * clock (164.312(b)). Thread-safe; ids from one instance increase with time.
 */
public final class AuditEvents {

  private final UuidV7Generator ids;

  private AuditEvents(Clock clock) {
    this.ids = UuidV7Generator.create(clock);
  }

  /**
   * Events timed by {@code clock}.
   *
   * @param clock gives each event's time; not null
   * @return a new source of event ids and times
   */
  public static AuditEvents create(Clock clock) {
    return new AuditEvents(clock);
  }

  /**
   * Starts an event; its recorded time is the millisecond in its id.
   *
   * @param action what was done
   * @param type the kind of event, e.g. {@code rest}: 1 to 64 visible ASCII characters
   * @return a builder with a fresh id and the current time
   * @throws IllegalArgumentException if the type is not an identifier
   */
  public AuditEvent.Builder event(AuditAction action, String type) {
    UUID id = ids.next();
    return new AuditEvent.Builder(id, Instant.ofEpochMilli(UuidV7Generator.timestampMillis(id)), action, type);
  }
}
