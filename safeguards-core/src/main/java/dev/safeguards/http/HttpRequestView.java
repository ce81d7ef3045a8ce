package dev.safeguards.http;

import java.net.URI;

/**
 * A request as Safeguards sees it: its method, its absolute target URI and its header fields.
 */
public interface HttpRequestView extends HttpMessageView {

  /**
   * The request method, e.g. {@code POST}, case as received.
   *
   * @return the method, never null
   */
  String method();

  /**
   * The absolute target URI as the origin server reconstructs it (RFC 9110 section 7.1): scheme, authority, path and
   * query, with the path and query in their received (percent-encoded) form.
   *
   * @return the absolute URI, never null
   */
  URI targetUri();

  /**
   * Starts building an immutable request view, e.g. for a client that signs the requests it sends.
   *
   * @param method the request method: visible US-ASCII characters, in the case the request is sent with
   * @param targetUri the absolute target URI, with a host
   * @return a new builder without fields
   * @throws IllegalArgumentException if the method is null, blank or not visible ASCII, or the URI is null or not
   *     absolute with a host
   */
  static Builder builder(String method, URI targetUri) {
    return new Builder(method, targetUri);
  }

  /** Builds an immutable {@link HttpRequestView}. */
  final class Builder {
    private final String method;
    private final URI targetUri;
    private final HttpFields.Builder fields = new HttpFields.Builder();

    private Builder(String method, URI targetUri) {
      if (method == null || method.isBlank() || !method.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException("a request method is a non-empty token");
      }
      if (targetUri == null || !targetUri.isAbsolute() || targetUri.getHost() == null) {
        throw new IllegalArgumentException("the target URI must be absolute, with a host");
      }
      this.method = method;
      this.targetUri = targetUri;
    }

    /**
     * Adds a field line; several lines of one name keep their order.
     *
     * @param name the field name, an RFC 9110 token in any case
     * @param value the field value; not null
     * @return this builder
     * @throws IllegalArgumentException if the name is null or not a token, or the value holds CR, LF or NUL
     * @throws NullPointerException if {@code value} is null
     */
    public Builder field(String name, String value) {
      fields.add(name, value);
      return this;
    }

    /**
     * Builds the view.
     *
     * @return an immutable view of the method, the URI and the fields added so far
     */
    public HttpRequestView build() {
      HttpFields built = fields.build();
      return new ImmutableHttpRequest(method, targetUri, built);
    }
  }
}
