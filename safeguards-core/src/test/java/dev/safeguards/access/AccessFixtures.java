package dev.safeguards.access;

import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Principals for the access tests. */
final class AccessFixtures {

  static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
  static final UserId BOB = UserId.parse("0193b2c4-7f00-7000-8000-000000000b0b");
  static final UserId PAT = UserId.parse("0193b2c4-7f00-7000-8000-0000000000fa");
  static final UserId OLGA = UserId.parse("0193b2c4-7f00-7000-8000-00000000019a");

  private AccessFixtures() {}

  static Principal principal(UserId user, String... roles) {
    return new Principal(user, Set.of(roles), Set.of(), Set.of("pwd", "otp"), Instant.EPOCH, Optional.of("s-1"),
        Optional.empty(), Optional.empty(), Instant.EPOCH.plusSeconds(600));
  }
}
