package dev.safeguards.jaxrs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.safeguards.access.AccessDecision;
import dev.safeguards.access.MinimumNecessary;
import dev.safeguards.gate.Exchange;
import jakarta.ws.rs.InternalServerErrorException;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Filters entities to what the access decision authorised (minimum necessary: the roles that authorised it, or the
 * emergency grant; never every role the caller holds), written as JSON ({@code application/json} or any {@code +json}
 * type); refuses (500) an object entity to be written as anything else, rather than send it unfiltered; and adds the
 * response {@code Content-Digest} a client asked for with {@code Want-Content-Digest}.
 */
final class GateWriterInterceptor implements WriterInterceptor {

  static final String EXCHANGE = "dev.safeguards.jaxrs.exchange";

  private final Optional<MinimumNecessary> minimumNecessary;

  GateWriterInterceptor(Optional<MinimumNecessary> minimumNecessary) {
    this.minimumNecessary = minimumNecessary;
  }

  @Override
  public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
    if (!(context.getProperty(EXCHANGE) instanceof Exchange exchange)) {
      context.proceed(); // a response the gate made itself
      return;
    }
    Optional<AccessDecision> decision = exchange.decision();
    if (minimumNecessary.isPresent() && decision.isPresent() && !written(context.getEntity())) {
      if (context.getMediaType() == null || !MinimumNecessary.filters(context.getMediaType().toString())) {
        throw new InternalServerErrorException("the minimum necessary of a response is only applied to JSON; "
            + "refusing to write an object as " + context.getMediaType());
      }
      JsonNode filtered = minimumNecessary.get().filterValue(context.getEntity(), decision.get());
      context.setEntity(filtered);
      context.setType(JsonNode.class);
      context.setGenericType(JsonNode.class);
    }
    if (exchange.bodyHeaders(new byte[0]).isEmpty()) {
      context.proceed();
      return;
    }
    OutputStream original = context.getOutputStream();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    context.setOutputStream(buffer);
    context.proceed();
    byte[] body = buffer.toByteArray();
    exchange.bodyHeaders(body).forEach((k, v) -> context.getHeaders().putSingle(k, v));
    original.write(body);
    context.setOutputStream(original);
  }

  /** An entity the resource wrote itself (text, bytes, a stream): its own to keep minimal, as the feature says. */
  private static boolean written(Object entity) {
    return entity instanceof CharSequence || entity instanceof byte[] || entity instanceof InputStream || entity instanceof StreamingOutput
        || entity instanceof java.io.Reader || entity instanceof java.io.File || entity instanceof java.nio.file.Path;
  }
}
