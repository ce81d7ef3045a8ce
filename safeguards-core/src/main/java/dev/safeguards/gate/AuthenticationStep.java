package dev.safeguards.gate;

import dev.safeguards.audit.AuditActor;
import dev.safeguards.authn.AuthenticationException;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.session.SessionVerdict;
import dev.safeguards.transport.RequestLimits;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Person or entity authentication and automatic logoff (164.312(d), (a)(2)(iii)): the bearer token, the audit actor
 * it makes, and the session (idle, absolute, revoked). The logout route is answered here.
 */
final class AuthenticationStep implements Step {

  private final TokenVerifier tokens;
  private final SessionTracker sessions;
  private final RequestLimits limits;

  AuthenticationStep(TokenVerifier tokens, SessionTracker sessions, RequestLimits limits) {
    this.tokens = tokens;
    this.sessions = sessions;
    this.limits = limits;
  }

  @Override
  public Optional<Refused> check(Exchange x) {
    Route.Kind kind = x.match.route().kind();
    if (kind == Route.Kind.PUBLIC) {
      return Optional.empty();
    }
    List<String> authorization = x.request.headers().values("authorization");
    String token = null;
    if (authorization.size() == 1 && authorization.get(0).regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = authorization.get(0).substring(7).strip();
    }
    if (token == null || token.isEmpty()) {
      return Optional.of(Refusals.tokenMissing());
    }
    if (token.length() > limits.maxTokenBytes()) {
      return Optional.of(Refusals.tokenTooLarge());
    }
    try {
      x.principal = tokens.verify(token);
    } catch (AuthenticationException e) {
      return Optional.of(Refusals.tokenRefused(e.reason().name().toLowerCase(Locale.ROOT), e.oauthError(),
          e.publicDescription()));
    }
    try {
      x.actor = Gate.withAgent(AuditActor.of(x.principal).from(x.clientAddress), x.request);
    } catch (IllegalArgumentException e) {
      // a verifier of the application's own admitted a principal the audit log cannot name: refuse, unaudited never
      x.principal = null;
      return Optional.of(Refusals.tokenRefused("invalid_claims", "invalid_token", "the token was not accepted"));
    }
    SessionVerdict session = sessions.touch(x.principal);
    if (!session.active()) {
      return Optional.of(Refusals.sessionEnded(session.endReason().orElseThrow().name().toLowerCase(Locale.ROOT)));
    }
    if (kind == Route.Kind.LOGOUT) {
      sessions.logout(x.principal);
      return Optional.of(Refusals.loggedOut());
    }
    return Optional.empty();
  }
}
