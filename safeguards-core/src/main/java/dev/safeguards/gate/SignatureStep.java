package dev.safeguards.gate;

import dev.safeguards.http.HttpRequestView;
import dev.safeguards.integrity.HttpMessageVerifier;
import dev.safeguards.integrity.IntegrityException;
import java.net.URI;
import java.util.Optional;

/**
 * RFC 9421 HTTP message signatures on protected routes, when configured (164.312(e)(2)(i), (c)(2)): the covered
 * components (e.g. {@code content-digest}) are checked against the request as received.
 */
final class SignatureStep implements Step {

  private final Optional<HttpMessageVerifier> verifier;

  SignatureStep(Optional<HttpMessageVerifier> verifier) {
    this.verifier = verifier;
  }

  @Override
  public Optional<Refused> check(Exchange x) {
    if (verifier.isEmpty() || x.match.route().kind() == Route.Kind.PUBLIC) {
      return Optional.empty();
    }
    try {
      if (x.request.hostAndTarget() == null) {
        throw new IllegalArgumentException("no Host");
      }
      HttpRequestView.Builder view = HttpRequestView.builder(x.request.method(),
          URI.create((x.https ? "https://" : "http://") + x.request.hostAndTarget()));
      for (String name : x.request.headers().names()) {
        for (String value : x.request.headers().values(name)) {
          view.field(name, value);
        }
      }
      verifier.get().verify(view.build());
      return Optional.empty();
    } catch (IntegrityException | IllegalArgumentException e) {
      return Optional.of(Refusals.signatureRequired());
    }
  }
}
