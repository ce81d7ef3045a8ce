package dev.safeguards.gate;

import dev.safeguards.http.HttpFields;
import java.util.Objects;
import java.util.Optional;

/**
 * What an adapter tells the {@link Gate} about a request, from its container, before the application sees it.
 *
 * @param method the method
 * @param path the raw path, without the context path and the query
 * @param secure whether the connection to the direct peer is TLS
 * @param peerAddress the direct peer's IP address
 * @param hostAndTarget the {@code Host} value and the request target, for an HTTPS redirect
 * @param headers every header field
 * @param cipherSuite the negotiated TLS cipher suite, if the container tells
 */
public record GateRequest(String method, String path, boolean secure, String peerAddress, String hostAndTarget,
    HttpFields headers, Optional<String> cipherSuite) {

  /** Checks the parts. */
  public GateRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(peerAddress, "peerAddress");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(cipherSuite, "cipherSuite");
  }
}
