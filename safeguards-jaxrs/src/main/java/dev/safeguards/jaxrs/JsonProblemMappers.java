package dev.safeguards.jaxrs;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.safeguards.http.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Answers a JSON entity that cannot be read into the resource method's type (a wrong type, an unknown property) with
 * a 400 RFC 9457 problem of fixed text. Jackson's JAX-RS modules bring mappers of their own for these exceptions that
 * answer {@code text/plain} with class and property names; the feature registers these at a higher priority, for the
 * exact exception types, so that they win.
 */
final class JsonProblemMappers {

  private JsonProblemMappers() {}

  static Response badRequest() {
    return Response.status(400).type(Problem.MEDIA_TYPE).header("Cache-Control", "no-store")
        .entity(new Problem(400, "Bad Request", "The request body does not fit this resource.").body()).build();
  }

  /** For a body that is not JSON (the gate refuses most before; this catches what a reader finds later). */
  static final class Parse implements ExceptionMapper<JsonParseException> {
    @Override
    public Response toResponse(JsonParseException e) {
      return badRequest();
    }
  }

  /** For JSON that does not bind to the resource method's parameter type. */
  static final class Mapping implements ExceptionMapper<JsonMappingException> {
    @Override
    public Response toResponse(JsonMappingException e) {
      return badRequest();
    }
  }
}
