package dev.safeguards.compliance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The startup self-check: finds the weak settings in the components' evidence that the application has not accepted
 * explicitly. {@code Safeguards.Builder.build()} runs it and refuses to build while it finds any, so a weak
 * configuration fails at start-up, naming the setting, never per request.
 *
 * <p>Each check reads a setting the component reports about itself; a component of the application's own that reports
 * no such setting is not checked (the compliance report marks it partially met instead).
 */
public final class SelfCheck {

  /** One weak setting found, with the message that names it. */
  public record Finding(Weakness weakness, String message) {}

  private SelfCheck() {}

  /** The weak settings in {@code evidence} that {@code accepted} does not cover, in a stable order. */
  public static List<Finding> findings(List<Evidence> evidence, Set<Weakness> accepted) {
    List<Finding> found = new ArrayList<>();
    for (Evidence e : evidence) {
      duration(e, "maxLifetime").filter(d -> d.compareTo(Duration.ofHours(1)) > 0).ifPresent(d ->
          found.add(finding(Weakness.LONG_TOKEN_LIFETIME, "tokens may live " + d + ", over one hour")));
      flag(e, "requireMfa").filter(on -> !on).ifPresent(off ->
          found.add(finding(Weakness.NO_MFA, "tokens are accepted without a second factor")));
      duration(e, "idleTimeout").filter(d -> d.compareTo(Duration.ofMinutes(30)) > 0).ifPresent(d ->
          found.add(finding(Weakness.LONG_IDLE_TIMEOUT, "the idle timeout is " + d + ", over 30 minutes")));
      duration(e, "hstsMaxAge").filter(d -> d.compareTo(Duration.ofDays(365)) < 0).ifPresent(d ->
          found.add(finding(Weakness.SHORT_HSTS_MAX_AGE, "the HSTS max-age is " + d + ", under one year")));
      if (e.assessment().containsKey(Specification.AUDIT_CONTROLS)) {
        flag(e, "durable").filter(on -> !on).ifPresent(off -> found.add(finding(Weakness.AUDIT_NOT_DURABLE,
            "audit events are acknowledged before they are durable")));
      }
    }
    found.removeIf(f -> accepted.contains(f.weakness()));
    return List.copyOf(found);
  }

  private static Finding finding(Weakness w, String what) {
    return new Finding(w, "weak configuration: " + w.setting() + ": " + what + "; strengthen it, or accept it with "
        + "Safeguards.Builder.acceptWeakness(Weakness." + w.name() + ", rationale)");
  }

  private static Optional<Duration> duration(Evidence e, String name) {
    return Optional.ofNullable(e.settings().get(name)).filter(String.class::isInstance)
        .map(v -> Duration.parse((String) v));
  }

  private static Optional<Boolean> flag(Evidence e, String name) {
    return Optional.ofNullable(e.settings().get(name)).filter(Boolean.class::isInstance).map(Boolean.class::cast);
  }
}
