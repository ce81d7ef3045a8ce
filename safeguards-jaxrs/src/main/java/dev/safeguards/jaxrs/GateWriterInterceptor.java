package dev.safeguards.jaxrs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.safeguards.access.MinimumNecessary;
import dev.safeguards.integrity.DigestAlgorithm;
import dev.safeguards.integrity.DigestFields;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.Set;

/**
 * Filters JSON entities to what the caller's roles may see (minimum necessary), and adds the response {@code
 * Content-Digest} a client asked for with {@code Want-Content-Digest}.
 */
final class GateWriterInterceptor implements WriterInterceptor {

  static final String WANT_DIGEST = "dev.safeguards.jaxrs.wantDigest";
  static final String ROLES = "dev.safeguards.jaxrs.roles";

  private final Optional<MinimumNecessary> minimumNecessary;

  GateWriterInterceptor(Optional<MinimumNecessary> minimumNecessary) {
    this.minimumNecessary = minimumNecessary;
  }

  @Override
  public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
    Object roles = context.getProperty(ROLES);
    if (minimumNecessary.isPresent() && roles instanceof Set<?> set && isJson(context.getMediaType())
        && !(context.getEntity() instanceof byte[])) {
      Set<String> names = set.stream().map(Object::toString).collect(java.util.stream.Collectors.toSet());
      JsonNode filtered = minimumNecessary.get().filterValue(context.getEntity(), names);
      context.setEntity(filtered);
      context.setType(JsonNode.class);
      context.setGenericType(JsonNode.class);
    }
    if (!(context.getProperty(WANT_DIGEST) instanceof DigestAlgorithm algorithm)) {
      context.proceed();
      return;
    }
    OutputStream original = context.getOutputStream();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    context.setOutputStream(buffer);
    context.proceed();
    byte[] body = buffer.toByteArray();
    context.getHeaders().putSingle("Content-Digest", DigestFields.fieldValue(body, algorithm));
    original.write(body);
    context.setOutputStream(original);
  }

  private static boolean isJson(MediaType type) {
    return type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE);
  }
}
