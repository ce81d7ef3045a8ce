package dev.safeguards.gate;

import dev.safeguards.transport.TlsPolicy;
import dev.safeguards.transport.TransportPolicy;
import dev.safeguards.transport.WeakTransportException;
import java.util.Optional;

/** HTTPS only (164.312(e)(2)(ii)): the effective scheme and client address, HSTS, and the negotiated TLS suite. */
final class TransportStep implements Step {

  private final TransportPolicy policy;
  private final boolean checkTls;

  TransportStep(TransportPolicy policy, boolean checkTls) {
    this.policy = policy;
    this.checkTls = checkTls;
  }

  @Override
  public Optional<Refused> check(Exchange x) {
    GateRequest r = x.request;
    TransportPolicy.Transport t = policy.evaluate(r.secure(), r.peerAddress(), r.method(), r.hostAndTarget(),
        r.headers().values("forwarded"), r.headers().values("x-forwarded-proto"),
        r.headers().values("x-forwarded-for"));
    x.clientAddress = t.clientAddress();
    x.https = t.https();
    if (t.https()) {
      x.transportHeaders.put("Strict-Transport-Security", policy.hstsHeaderValue());
    }
    x.transportHeaders.put("X-Content-Type-Options", "nosniff");
    if (t.refusal().isPresent()) {
      TransportPolicy.Refusal refusal = t.refusal().get();
      return Optional.of(refusal.location().isPresent()
          ? Refusals.redirectToHttps(refusal.status(), refusal.location().get())
          : Refusals.plainHttp(refusal.status()));
    }
    if (r.secure() && checkTls && r.cipherSuite().isPresent()) {
      try {
        TlsPolicy.checkNegotiated(null, r.cipherSuite().get());
      } catch (WeakTransportException e) {
        return Optional.of(Refusals.weakTls());
      }
    }
    return Optional.empty();
  }
}
