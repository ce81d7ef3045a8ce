package dev.safeguards.spring.boot;

import dev.safeguards.servlet.SafeguardsFilter;
import jakarta.servlet.Filter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * When Spring Security is present, hands it the caller the gate authenticated: right after the gate, a filter puts a
 * {@link SafeguardsAuthentication} where Spring Security's default security-context repositories look first (the
 * request attribute of {@link RequestAttributeSecurityContextRepository}), so that its authorization rules, {@code
 * @PreAuthorize} and {@code @AuthenticationPrincipal} see the same principal as the gate. Nothing is stored in an HTTP
 * session. Declare a {@code SecurityFilterChain} (which also turns off Boot's default one, a form and basic login
 * that would ask for a password on every route): the gate already authenticated, so the chain needs neither a login
 * nor a resource server of its own.
 */
@AutoConfiguration(after = SafeguardsWebMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RequestAttributeSecurityContextRepository.class)
@ConditionalOnBean(HandlerMethodRoutes.class)
public class SafeguardsSpringSecurityAutoConfiguration {

  /** Created by Spring Boot when Spring Security is on the class path. */
  public SafeguardsSpringSecurityAutoConfiguration() {}

  /**
   * The filter that hands the gate's principal to Spring Security, right after the gate.
   *
   * @param properties {@code safeguards.filter-order}, the gate's place
   * @return the filter's registration, for every request path, ordered one after the gate
   */
  @Bean
  public FilterRegistrationBean<Filter> safeguardsSecurityContext(SafeguardsProperties properties) {
    Filter filter = (request, response, chain) -> {
      SafeguardsFilter.principal(request).ifPresent(principal -> request.setAttribute(
          RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME,
          new SecurityContextImpl(new SafeguardsAuthentication(principal))));
      chain.doFilter(request, response);
    };
    FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
    registration.setName("safeguardsSecurityContext");
    registration.addUrlPatterns("/*");
    int gate = properties.getFilterOrder();
    registration.setOrder(gate == Integer.MAX_VALUE ? gate : gate + 1);
    return registration;
  }
}
