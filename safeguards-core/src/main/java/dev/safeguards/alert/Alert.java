package dev.safeguards.alert;

import dev.safeguards.internal.Identifiers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Something a person must look at now: an emergency grant opened, a burst of denials, a bulk read (164.308(a)(1),
 * 164.312(a)(2)(ii), (b)). An alert names identifiers only, never PHI.
 *
 * @param id unique per alert
 * @param time when the alert was raised, to the millisecond
 * @param severity how urgent
 * @param type what happened, e.g. {@code break-glass-opened}, {@code denial-burst}
 * @param subject the identifiers it is about, by name ({@code user}, {@code address}, {@code grant}, {@code count}),
 *     sorted by name
 */
public record Alert(UUID id, Instant time, Severity severity, String type, SortedMap<String, String> subject) {

  /** How urgent an alert is. */
  public enum Severity {
    /** For the record. */
    INFO,
    /** Look at it today. */
    WARNING,
    /** Look at it now. */
    CRITICAL
  }

  /**
   * Checks every part, and copies the subject into an unmodifiable map sorted by name.
   *
   * @param id unique per alert; not null
   * @param time when the alert was raised, in whole milliseconds; not null
   * @param severity how urgent; not null
   * @param type what happened: an identifier, not null
   * @param subject the identifiers the alert is about, by name: every name and value an identifier; may be empty, not
   *     null
   * @throws NullPointerException if a part, a subject name or a subject value is null
   * @throws IllegalArgumentException if the type, a subject name or a value is not an identifier (1 to 256 visible
   *     ASCII characters without spaces), or the time has sub-millisecond precision
   */
  public Alert {
    Objects.requireNonNull(id, "id");
    if (!Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MILLIS).equals(time)) {
      throw new IllegalArgumentException("an alert time is to the millisecond");
    }
    Objects.requireNonNull(severity, "severity");
    identifier("type", type);
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : subject.entrySet()) {
      copy.put(identifier("subject name", e.getKey()), identifier("subject value", e.getValue()));
    }
    subject = Collections.unmodifiableSortedMap(copy);
  }

  /**
   * An alert raised at {@code time}, with a new random id.
   *
   * @param time when the alert was raised; truncated to the millisecond
   * @param severity how urgent; not null
   * @param type what happened, e.g. {@code denial-burst}: 1 to 256 visible ASCII characters without spaces
   * @param subject the identifiers the alert is about, by name, each name and value 1 to 256 visible ASCII characters
   *     without spaces; copied, may be empty, not null
   * @return the alert, its subject sorted by name
   * @throws NullPointerException if an argument, a subject name or a subject value is null
   * @throws IllegalArgumentException if the type, a subject name or a value is not such an identifier
   */
  public static Alert of(Instant time, Severity severity, String type, Map<String, String> subject) {
    return new Alert(UUID.randomUUID(), time.truncatedTo(ChronoUnit.MILLIS), severity, type, new TreeMap<>(subject));
  }

  private static String identifier(String what, String value) {
    return Identifiers.check("an alert " + what, value, 256);
  }

  /**
   * The alert as one line of JSON, what the SLF4J and webhook sinks send.
   *
   * @return {@code {"id":..,"time":..,"severity":..,"type":..,"subject":{..}}}: the time in ISO-8601 UTC, the
   *     severity's constant name, the subject's members sorted by name; no line break
   */
  public String toJson() {
    StringBuilder out = new StringBuilder("{\"id\":\"").append(id).append("\",\"time\":\"").append(time)
        .append("\",\"severity\":\"").append(severity).append("\",\"type\":");
    string(out, type);
    out.append(",\"subject\":{");
    boolean first = true;
    for (Map.Entry<String, String> e : subject.entrySet()) {
      out.append(first ? "" : ",");
      string(out, e.getKey());
      out.append(':');
      string(out, e.getValue());
      first = false;
    }
    return out.append("}}").toString();
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    out.append('"');
  }
}
