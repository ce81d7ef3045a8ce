package dev.safeguards.spring.boot;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.access.AccessDecision;
import dev.safeguards.access.MinimumNecessary;
import dev.safeguards.servlet.SafeguardsFilter;
import java.util.Objects;
import java.util.Optional;
import org.springframework.core.MethodParameter;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Shares only the minimum necessary (164.502(b), 164.514(d)): every body a handler method returns as an object (a
 * record, a bean, a map, a list of them) is trimmed by the application's {@link MinimumNecessary} to what authorised
 * the request ({@link SafeguardsFilter#decision}: the roles that granted the permission, or the emergency grant),
 * never to every role the caller holds, and written as JSON ({@code application/json} or any {@code +json} type, such
 * as {@code application/fhir+json}). An object to be written as anything else (XML, CSV) is refused with an error
 * (500) rather than sent untrimmed. A public route's body is sent as it is; so are text and bytes a handler writes
 * itself (a {@code String}, a {@code byte[]}, a {@code Resource}), which it must keep free of PHI the caller may not
 * see. The starter registers it when the application declares a {@code MinimumNecessary} bean.
 */
@ControllerAdvice
public final class MinimumNecessaryResponses implements ResponseBodyAdvice<Object> {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MinimumNecessary minimumNecessary;

  /**
   * Trims responses with {@code minimumNecessary}.
   *
   * @param minimumNecessary who may see which PHI categories, and which fields are which
   */
  public MinimumNecessaryResponses(MinimumNecessary minimumNecessary) {
    this.minimumNecessary = Objects.requireNonNull(minimumNecessary, "minimumNecessary");
  }

  @Override
  public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
    return true;
  }

  @Override
  public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
      Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
      ServerHttpResponse response) {
    if (body == null || body instanceof CharSequence || body instanceof byte[] || body instanceof Resource
        || !(request instanceof ServletServerHttpRequest servlet)) {
      return body;
    }
    Optional<AccessDecision> decision = SafeguardsFilter.decision(servlet.getServletRequest());
    if (decision.isEmpty()) {
      return body;
    }
    if (contentType == null || !MinimumNecessary.filters(contentType.toString())) {
      throw new HttpMessageNotWritableException("the minimum necessary of a response is only applied to JSON; "
          + "refusing to write an object as " + contentType);
    }
    return new Trimmed(minimumNecessary.filterValue(body, decision.get()));
  }


  /**
   * A trimmed body, written by whichever JSON converter the application has (Jackson 3 or 2) as the plain maps,
   * lists and values it holds. A type of its own, so that no converter writes it as the handler's declared type.
   */
  static final class Trimmed {
    private final Object value;

    Trimmed(JsonNode tree) {
      this.value = JSON.convertValue(tree, Object.class);
    }

    @JsonValue
    Object value() {
      return value;
    }
  }
}
