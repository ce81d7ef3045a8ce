package dev.safeguards.examples.clinic.domain;

import dev.safeguards.http.Problem;
import java.util.List;

/**
 * A request the clinic cannot act on: each problem names a field and what it must be, never the value sent (which may
 * be PHI). Either application answers it with a 400 problem whose detail lists them.
 */
public final class InvalidRequestException extends Exception {

  private static final long serialVersionUID = 1L;

  /** An array, which serializes (a List field would not, to the compiler's knowledge). */
  private final String[] problems;

  /** A request with these {@code problems} (at least one). */
  public InvalidRequestException(List<String> problems) {
    super(String.join("; ", problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid request has at least one problem");
    }
    this.problems = problems.toArray(String[]::new);
  }

  /** What is wrong, field by field. */
  public List<String> problems() {
    return List.of(problems);
  }

  /** The 400 problem (RFC 9457) to answer with. */
  public Problem problem() {
    return new Problem(400, "Bad Request", getMessage());
  }
}
