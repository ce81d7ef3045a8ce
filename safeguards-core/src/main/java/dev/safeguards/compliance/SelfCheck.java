package dev.safeguards.compliance;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The startup self-check: finds the weak settings in the components' evidence that the application has not accepted
 * explicitly. {@code Safeguards.Builder.build()} runs it and refuses to build while it finds any, so a weak
 * configuration fails at start-up, naming the setting, never per request.
 *
 * <p>Each component reports its own weak settings, typed ({@link Evidence#weaknesses()}): the token verifier a lifetime
 * over an hour or no MFA, the session tracker an idle timeout over 30 minutes, the transport policy an HSTS max-age
 * under a year, an audit sink that acknowledges before events are durable. A component of the application's own that
 * reports none is not checked (the compliance report marks it partially met instead).
 */
public final class SelfCheck {

  /**
   * One weak setting found, with the message that names it.
   *
   * @param weakness the weak setting
   * @param message names the setting and what it is, and how to strengthen or accept it; no secret, no PHI
   */
  public record Finding(Weakness weakness, String message) {}

  private SelfCheck() {}

  /**
   * The weak settings in {@code evidence} that {@code accepted} does not cover, in a stable order.
   *
   * @param evidence every component's evidence, in the order the report lists them; not null
   * @param accepted the weaknesses the application accepted explicitly; not null, may be empty
   * @return one finding per weak setting a component reports that is not accepted, in the order of {@code evidence}
   *     and, within one component, of {@link Weakness}; empty when there is none; unmodifiable
   */
  public static List<Finding> findings(List<Evidence> evidence, Set<Weakness> accepted) {
    List<Finding> found = new ArrayList<>();
    for (Evidence e : evidence) {
      e.weaknesses().forEach((w, what) -> found.add(finding(w, what)));
    }
    found.removeIf(f -> accepted.contains(f.weakness()));
    return List.copyOf(found);
  }

  private static Finding finding(Weakness w, String what) {
    return new Finding(w, "weak configuration: " + w.setting() + ": " + what + "; strengthen it, or accept it with "
        + "Safeguards.Builder.acceptWeakness(Weakness." + w.name() + ", rationale)");
  }


}
