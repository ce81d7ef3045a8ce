package dev.safeguards.http;

/** A response as Safeguards sees it: its status code and its header fields. */
public interface HttpResponseView extends HttpMessageView {

  /** The status code, 100 to 999. */
  int status();

  /**
   * Starts building an immutable response view.
   *
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

    /** Adds a field line; several lines of one name keep their order. */
    public Builder field(String name, String value) {
      fields.add(name, value);
      return this;
    }

    /** Builds the view. */
    public HttpResponseView build() {
      return new ImmutableHttpResponse(status, fields.build());
    }
  }
}
