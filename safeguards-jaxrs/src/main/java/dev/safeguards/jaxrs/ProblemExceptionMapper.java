package dev.safeguards.jaxrs;

import dev.safeguards.http.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every exception into an RFC 9457 problem with a fixed text: the status of a {@code WebApplicationException},
 * 500 for anything else. Exception messages never reach the client; the log gets the exception type only.
 */
final class ProblemExceptionMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemExceptionMapper.class);

  @Override
  public Response toResponse(Throwable e) {
    int status = e instanceof WebApplicationException w && w.getResponse() != null
        ? w.getResponse().getStatus() : 500;
    if (status >= 500) {
      LOG.error("the application failed: {}", e.getClass().getName());
    }
    return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.ofStatus(status).body()).build();
  }
}
