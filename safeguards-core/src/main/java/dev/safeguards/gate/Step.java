package dev.safeguards.gate;

import java.util.Optional;

/** One check of the request flow: records what it established in the exchange, and refuses or lets it go on. */
interface Step {

  /** Empty to go on to the next step, or why the request is refused. */
  Optional<Refused> check(Exchange x);
}
