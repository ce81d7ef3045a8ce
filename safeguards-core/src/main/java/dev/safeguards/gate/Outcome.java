package dev.safeguards.gate;

import dev.safeguards.http.Problem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gate tells an adapter to do with a request (164.312(a)-(e)): go on ({@link Proceed}) or answer it now
 * ({@link Respond}). Both adapters write a {@code Respond} the same way: the status, every header it carries, then its
 * body; nothing else. Every {@code Respond} the gate returns was audited, or says in {@link Respond#rule()} why it
 * could not be ({@code audit:unavailable}, {@code audit:failed}).
 */
public sealed interface Outcome permits Outcome.Proceed, Outcome.Respond {

  /**
   * The headers to set on the response.
   *
   * @return the header values by name, unmodifiable; may be empty
   */
  Map<String, String> headers();

  /**
   * Go on: set {@code headers} on the response (before the application writes it, from {@link Gate#enter}; before it
   * is sent, from {@link Gate#exit}).
   *
   * @param headers the headers to set, by name; copied, not null
   */
  record Proceed(Map<String, String> headers) implements Outcome {
    /**
     * Copies the headers.
     *
     * @param headers the headers to set, by name; not null
     * @throws NullPointerException if {@code headers} is null or holds a null name or value
     */
    public Proceed {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * Answer with this instead of anything the application wrote: a refusal (4xx), a failure (500, 503), or a response
   * the gate makes itself (logout's 204).
   *
   * @param status the status code
   * @param headers every header to set, the transport's ({@code Strict-Transport-Security}, {@code
   *     X-Content-Type-Options}) and, with a problem, {@code Content-Type} and {@code Cache-Control} included
   * @param problem the RFC 9457 problem that is the body; empty for a response without a body
   * @param rule the rule that decided, as audited (e.g. {@code authn:expired}, {@code session:logout})
   */
  record Respond(int status, Map<String, String> headers, Optional<Problem> problem, String rule)
      implements Outcome {

    /**
     * Checks the parts and copies the headers.
     *
     * @param status the status code, 100 to 599
     * @param headers every header to set; copied, not null
     * @param problem the problem that is the body; empty for none, not null
     * @param rule the rule that decided, as audited; not null
     * @throws IllegalArgumentException if {@code status} is outside 100 to 599
     * @throws NullPointerException if {@code headers}, {@code problem} or {@code rule} is null, or the headers hold a
     *     null name or value
     */
    public Respond {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("not an HTTP status: " + status);
      }
      headers = Map.copyOf(headers);
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(rule, "rule");
    }

    static Respond of(int status, Map<String, String> transport, Map<String, String> headers, Problem problem,
        String rule) {
      Map<String, String> all = new LinkedHashMap<>(transport);
      all.putAll(headers);
      if (problem != null) {
        all.put("Content-Type", Problem.MEDIA_TYPE);
        all.put("Cache-Control", "no-store");
      }
      return new Respond(status, all, Optional.ofNullable(problem), rule);
    }

    /**
     * The body to write: the problem's bytes, or none.
     *
     * @return a new array each call: the problem as JSON, or empty if there is no problem
     */
    public byte[] body() {
      return problem.map(Problem::body).orElseGet(() -> new byte[0]);
    }
  }
}
