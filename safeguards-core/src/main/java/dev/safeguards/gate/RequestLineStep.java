package dev.safeguards.gate;

import dev.safeguards.http.HttpFields;
import dev.safeguards.transport.RequestLimits;
import java.util.Optional;

/** The request method is a token the audit log can name, and the header fields are well formed and within the limits. */
final class RequestLineStep implements Step {

  /** The longest method accepted; the registered methods are at most 17 characters. */
  static final int MAX_METHOD = 32;

  private final RequestLimits limits;

  RequestLineStep(RequestLimits limits) {
    this.limits = limits;
  }

  @Override
  public Optional<Refused> check(Exchange x) {
    if (!isMethod(x.request.method())) {
      return Optional.of(Refusals.badMethod());
    }
    x.methodValid = true;
    if (x.request.headers().malformed()) {
      return Optional.of(Refusals.malformedHeader());
    }
    if (headerBytes(x.request.headers()) > limits.maxHeaderBytes()) {
      return Optional.of(Refusals.headersTooLarge());
    }
    return Optional.empty();
  }

  /** An RFC 9110 token of at most {@link #MAX_METHOD} characters. */
  static boolean isMethod(String method) {
    if (method.isEmpty() || method.length() > MAX_METHOD) {
      return false;
    }
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      boolean alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static long headerBytes(HttpFields headers) {
    long total = 0;
    for (String name : headers.names()) {
      for (String v : headers.values(name)) {
        total += name.length() + v.length() + 4;
      }
    }
    return total;
  }
}
