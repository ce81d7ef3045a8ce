package dev.safeguards.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalTest {

  private static Principal principal(Optional<String> session, Optional<String> tokenId) {
    return new Principal(UserId.parse("0193b2c4-7f00-7000-8000-00000000abcd"), Set.of("clinician"), Set.of(),
        Set.of("pwd", "otp"), Instant.EPOCH, session, Optional.empty(), tokenId, Instant.EPOCH.plusSeconds(600));
  }

  @Test
  void getName_isTheUserIdAndNeverATokenOrRole() {
    java.security.Principal p = principal(Optional.of("s-1"), Optional.of("jti-1"));

    assertThat(p.getName()).isEqualTo("0193b2c4-7f00-7000-8000-00000000abcd");
  }

  @Test
  void sessionKey_prefersTheSessionThenTheTokenId() {
    assertThat(principal(Optional.of("s-1"), Optional.of("jti-1")).sessionKey()).isEqualTo("sid:s-1");
    assertThat(principal(Optional.empty(), Optional.of("jti-1")).sessionKey()).isEqualTo("jti:jti-1");
  }
}
