package dev.safeguards.spring.boot;

import dev.safeguards.identity.Principal;
import dev.safeguards.servlet.SafeguardsFilter;
import jakarta.servlet.ServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives a handler method parameter of type {@link Principal} the caller the gate authenticated, whatever later filters
 * did to the request's own principal (Spring Security replaces it with its {@code Authentication}). On a public route
 * nobody is authenticated: the parameter is {@code null}, or, as {@code Optional<Principal>}, empty.
 */
final class PrincipalArgumentResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getNestedParameterType() == Principal.class;
  }

  @Override
  public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
      WebDataBinderFactory binders) {
    ServletRequest servlet = request.getNativeRequest(ServletRequest.class);
    if (servlet == null) {
      throw new IllegalStateException("not a servlet request");
    }
    return SafeguardsFilter.principal(servlet).orElse(null);
  }
}
