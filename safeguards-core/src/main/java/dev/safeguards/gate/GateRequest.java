package dev.safeguards.gate;

import dev.safeguards.http.HttpFields;
import java.util.Objects;
import java.util.Optional;

/**
 * What an adapter tells the {@link Gate} about a request, from its container, before the application sees it.
 *
 * @param method the method, as the client sent it (the gate checks it); not null
 * @param path the raw path, without the context path and the query, still percent-encoded; not null
 * @param secure whether the connection to the direct peer is TLS
 * @param peerAddress the direct peer's IP address ({@code "unknown"} if the container does not tell); not null
 * @param hostAndTarget the {@code Host} value followed by the request target (raw path and query), for an HTTPS
 *     redirect and the signed {@code @target-uri}; null if the request has no {@code Host}, in which case no redirect
 *     is offered and a required HTTP signature cannot verify
 * @param headers every header field; not null
 * @param cipherSuite the negotiated TLS cipher suite; empty if the container does not tell, or on plain HTTP
 */
public record GateRequest(String method, String path, boolean secure, String peerAddress, String hostAndTarget,
    HttpFields headers, Optional<String> cipherSuite) {

  /**
   * Checks the parts.
   *
   * @param method the method as received; not null
   * @param path the raw path; not null
   * @param secure whether the connection to the direct peer is TLS
   * @param peerAddress the direct peer's IP address; not null
   * @param hostAndTarget the {@code Host} value and the request target; null if the request has no {@code Host}
   * @param headers every header field; not null
   * @param cipherSuite the negotiated TLS cipher suite; empty if not known, not null
   * @throws NullPointerException if {@code method}, {@code path}, {@code peerAddress}, {@code headers} or {@code
   *     cipherSuite} is null
   */
  public GateRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(peerAddress, "peerAddress");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(cipherSuite, "cipherSuite");
  }
}
