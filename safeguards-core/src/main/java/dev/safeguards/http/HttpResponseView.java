package dev.safeguards.http;

/** A response as Safeguards sees it: its status code and its header fields. */
public interface HttpResponseView extends HttpMessageView {

  /**
   * The status code.
   *
   * @return the status, 100 to 999
   */
  int status();

  /**
   * Starts building an immutable response view.
   *
   * @param status the status code, 100 to 999
   * @return a new builder without fields
   * @throws IllegalArgumentException unless 100 &lt;= status &lt;= 999
   */
  static Builder builder(int status) {
    return new Builder(status);
  }

  /** Builds an immutable {@link HttpResponseView}. */
  final class Builder {
    private final int status;
    private final HttpFields.Builder fields = new HttpFields.Builder();

    private Builder(int status) {
      if (status < 100 || status > 999) {
        throw new IllegalArgumentException("a status code has three digits");
      }
      this.status = status;
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
     * @return an immutable view of the status and the fields added so far
     */
    public HttpResponseView build() {
      return new ImmutableHttpResponse(status, fields.build());
    }
  }
}
