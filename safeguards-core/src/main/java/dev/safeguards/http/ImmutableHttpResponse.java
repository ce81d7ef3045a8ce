package dev.safeguards.http;

import java.util.List;

/** The immutable {@link HttpResponseView} built by {@link HttpResponseView#builder}. */
record ImmutableHttpResponse(int status, HttpFields fields) implements HttpResponseView {
  @Override
  public List<String> fieldValues(String name) {
    return fields.values(name);
  }

  @Override
  public String toString() {
    return status + " " + fields.names();
  }
}
