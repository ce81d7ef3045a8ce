package dev.safeguards.gate;

import java.util.Map;
import java.util.Optional;

/**
 * Why a step refuses a request: the status, the rule audited, the problem's title and detail (fixed texts, never a
 * value from the request), extra headers, and for an integrity failure the check that failed (audited as an {@code
 * integrity} event).
 */
record Refused(int status, String rule, String title, String detail, Map<String, String> headers,
    Optional<String> integrityCheck) {

  Refused {
    headers = Map.copyOf(headers);
  }

  /** Whether the response carries a problem body (every refusal but logout's 204). */
  boolean hasProblem() {
    return status != 204;
  }
}
