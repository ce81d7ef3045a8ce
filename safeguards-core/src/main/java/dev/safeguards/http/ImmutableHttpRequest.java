package dev.safeguards.http;

import java.net.URI;
import java.util.List;

/** The immutable {@link HttpRequestView} built by {@link HttpRequestView#builder}. */
record ImmutableHttpRequest(String method, URI targetUri, HttpFields fields) implements HttpRequestView {
  @Override
  public List<String> fieldValues(String name) {
    return fields.values(name);
  }

  @Override
  public String toString() {
    return method + " " + targetUri.getRawPath() + " " + fields.names();
  }
}
