package dev.safeguards.authn;

import static dev.safeguards.authn.HandMadeJws.claims;
import static dev.safeguards.authn.HandMadeJws.header;
import static dev.safeguards.authn.HandMadeJws.signingInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditActor;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.authn.AuthenticationException.Reason;
import dev.safeguards.identity.Principal;
import dev.safeguards.testing.TestKeyPairs;
import java.security.KeyPair;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Validly signed tokens with the attributes real identity providers send, and hostile ones (issue 17, finding 4):
 * every principal the verifier returns can be audited, and every attribute the audit log cannot carry is refused at
 * verification (401 invalid_token), never after the application ran.
 */
class HostileClaimsTest {

  private static final long NOW = TokenFixtures.NOW.getEpochSecond();
  private static final KeyPair EC = TestKeyPairs.ec("secp256r1");
  private static final TokenVerifier VERIFIER = TokenVerifier.create(TokenPolicy.builder(TokenFixtures.ISSUER,
      TokenFixtures.AUDIENCE, JwkSource.of(HandMadeJws.jwks("ec-1", EC.getPublic(), "ES256")))
      .clock(TokenFixtures.CLOCK).cacheVerifiedTokens(0).build());
  private static final AuditEvents EVENTS = AuditEvents.create(TokenFixtures.CLOCK);

  private static String token(UnaryOperator<ObjectNode> claims) throws Exception {
    return HandMadeJws.sign(signingInput(header("ES256", "ec-1"),
        claims.apply(claims(NOW - 60, NOW + 600, TokenFixtures.ALICE.toString()))), "SHA256withECDSAinP1363Format",
        EC.getPrivate());
  }

  private static ObjectNode roles(ObjectNode c, String... roles) {
    ArrayNode a = c.putArray("roles");
    for (String r : roles) {
      a.add(r);
    }
    return c;
  }

  /** The whole way a principal goes in a request: verified, made an audit actor, written as an event line. */
  private static AuditEvent audited(String token) throws AuthenticationException {
    Principal p = VERIFIER.verify(token);
    AuditActor actor = AuditActor.of(p).from("203.0.113.5").withUserAgent("curl/8.5.0");
    AuditEvent e = EVENTS.event(AuditAction.READ, "rest").actor(actor).rule("role:x").build();
    assertThat(e.toString()).isNotEmpty();
    p.sessionKey();
    return e;
  }

  private static void assertInvalidClaims(String token) {
    assertThatThrownBy(() -> VERIFIER.verify(token)).isInstanceOf(AuthenticationException.class)
        .extracting(e -> ((AuthenticationException) e).reason()).isEqualTo(Reason.INVALID_CLAIMS);
  }

  @Test
  void rolesAsOktaAndEntraNameThem_areAcceptedAndAudited() throws Exception {
    String longGroup = "Hospital Universitario – Servicio de Urgencias – Enfermería " + "x".repeat(120);

    AuditEvent e = audited(token(c -> roles(c, "Clinic Nurses", "Médicos de guardia", longGroup)));

    assertThat(e.actor().roles()).containsExactlyInAnyOrder("Clinic Nurses", "Médicos de guardia", longGroup);
    assertThat(EVENTS.event(AuditAction.READ, "rest").actor(e.actor()).rule("role:" + longGroup).build().rule())
        .as("the decision names the role as the provider spells it").hasValue("role:" + longGroup);
  }

  @Test
  void roleWithALineBreakAControlOrAFormatCharacter_isRefused() throws Exception {
    assertInvalidClaims(token(c -> roles(c, "nurse\r\nadmin")));
    assertInvalidClaims(token(c -> roles(c, "nu\u200brse")));
    assertInvalidClaims(token(c -> roles(c, "\u202enimda")));
    assertInvalidClaims(token(c -> roles(c, "x".repeat(257))));
  }

  @Test
  void sessionIdLongOrWithALineBreak_isRefused() throws Exception {
    assertInvalidClaims(token(c -> c.put("sid", "s".repeat(257))));
    assertInvalidClaims(token(c -> c.put("sid", "s-1\r\nINFO forged log line")));
    assertInvalidClaims(token(c -> c.put("sid", 42)));
    assertInvalidClaims(token(c -> c.put("jti", "j 1")));
  }

  @Test
  void clientIdWithASpace_isRefused() throws Exception {
    assertInvalidClaims(token(c -> c.put("client_id", "my app")));
    assertInvalidClaims(token(c -> c.put("azp", "spa\u0000")));
    assertThat(audited(token(c -> c.put("azp", "0oa1b2c3d4e5f6g7h8i9"))).actor().clientId())
        .hasValue("0oa1b2c3d4e5f6g7h8i9");
  }

  @Test
  void noSessionIdAndNoTokenId_isRefused_butEntrasUtiIsATokenId() throws Exception {
    assertInvalidClaims(token(c -> {
      c.remove("sid");
      c.remove("jti");
      return c;
    }));
    String entra = token(c -> {
      c.remove("sid");
      c.remove("jti");
      return c.put("uti", "AbCdEf123456");
    });
    audited(entra);
    assertThat(VERIFIER.verify(entra).sessionKey()).isEqualTo("jti:AbCdEf123456");
  }

  @Test
  void authTimeOutOfRangeOrNotANumericDate_isRefused() throws Exception {
    assertInvalidClaims(token(c -> c.put("auth_time", -1)));
    assertInvalidClaims(token(c -> c.put("auth_time", NOW + 3600)));
    assertInvalidClaims(token(c -> c.put("auth_time", Long.MAX_VALUE)));
    assertInvalidClaims(token(c -> c.put("auth_time", "yesterday")));
    assertInvalidClaims(token(c -> c.put("auth_time", 1.5)));
    assertThat(VERIFIER.verify(token(c -> c.put("auth_time", NOW - 300))).authenticatedAt())
        .isEqualTo(TokenFixtures.NOW.minusSeconds(300));
  }

  @Test
  void randomAttributes_areEitherRefusedAtVerificationOrAuditable() throws Exception {
    Random random = new Random(17);
    int accepted = 0;
    for (int i = 0; i < 400; i++) {
      String role = randomText(random);
      String sid = randomText(random);
      String client = randomText(random);
      String token = token(c -> roles(c, role).put("sid", sid).put("client_id", client));
      try {
        audited(token);
        accepted++;
      } catch (AuthenticationException e) {
        assertThat(e.reason()).isEqualTo(Reason.INVALID_CLAIMS);
        for (String value : new String[] {role, sid, client}) {
          if (value.strip().length() >= 8) { // a long value would be recognisable in the message
            assertThat(e.getMessage()).doesNotContain(value);
          }
        }
      }
    }
    assertThat(accepted).as("some random attributes are acceptable").isPositive();
  }

  private static String randomText(Random random) {
    if (random.nextInt(3) > 0) { // mostly what identity providers send, so that some tokens pass
      StringBuilder clean = new StringBuilder();
      for (int i = 0, n = 1 + random.nextInt(30); i < n; i++) {
        clean.append((char) (0x21 + random.nextInt(94)));
      }
      return clean.toString();
    }
    int length = random.nextInt(4) == 0 ? 200 + random.nextInt(100) : 1 + random.nextInt(12);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(6)) {
        case 0 -> s.append((char) (0x21 + random.nextInt(94)));
        case 1 -> s.append((char) random.nextInt(0x20));
        case 2 -> s.append(' ');
        case 3 -> s.append((char) (0x200b + random.nextInt(5)));
        case 4 -> s.appendCodePoint(0xc0 + random.nextInt(0x2000));
        default -> s.append((char) (0xd800 + random.nextInt(0x800)));
      }
    }
    return s.toString();
  }
}
