package dev.safeguards.spring.boot;

import dev.safeguards.Safeguards;
import dev.safeguards.access.MinimumNecessary;
import dev.safeguards.servlet.SafeguardsFilter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Runs every request of a Spring MVC application through the gate: one {@link SafeguardsFilter}, registered once for
 * every path through a {@link FilterRegistrationBean} (never as a bare {@code Filter} bean, which Boot would register
 * a second time), against the routes {@link HandlerMethodRoutes} derives from the handler methods' annotations.
 *
 * <p>Controllers get the caller as a handler method parameter of type {@link dev.safeguards.identity.Principal}
 * (also beside Spring Security, which puts its own principal in the request), and without Spring Security as the
 * request's {@code getUserPrincipal()} and {@code isUserInRole}. Request audit details are named with {@link
 * SafeguardsFilter#audit}. With a {@link MinimumNecessary} bean, JSON responses are trimmed to what authorised each
 * request ({@link MinimumNecessaryResponses}).
 */
@AutoConfiguration(after = SafeguardsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, SafeguardsFilter.class})
public class SafeguardsWebMvcAutoConfiguration {

  /** Created by Spring Boot in a servlet web application. */
  public SafeguardsWebMvcAutoConfiguration() {}

  /**
   * Handler method parameters of type {@link dev.safeguards.identity.Principal}: the gate's caller. Its resolver goes
   * first, before Spring MVC's own for {@code java.security.Principal} parameters, which would hand them whatever
   * principal the request carries by then (Spring Security's {@code Authentication}, beside it).
   *
   * @return the post-processor that puts the resolver first in every {@link RequestMappingHandlerAdapter}
   */
  @Bean
  public static BeanPostProcessor safeguardsPrincipalArguments() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getArgumentResolvers() != null) {
          List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>();
          resolvers.add(new PrincipalArgumentResolver());
          resolvers.addAll(adapter.getArgumentResolvers());
          adapter.setArgumentResolvers(resolvers);
        }
        return bean;
      }
    };
  }

  /**
   * The routes of the application's handler methods.
   *
   * @param beans the context whose handler mappings are read
   * @param safeguards the gate, which lists the routes in its compliance report
   * @param properties {@code safeguards.unannotated} and {@code safeguards.actuator.*}
   * @param environment where {@code management.endpoints.web.base-path} is read
   * @return the routes, derived once every singleton exists
   */
  @Bean
  @ConditionalOnMissingBean
  public HandlerMethodRoutes safeguardsHandlerMethodRoutes(ListableBeanFactory beans, Safeguards safeguards,
      SafeguardsProperties properties, Environment environment) {
    return new HandlerMethodRoutes(beans, safeguards, properties.getUnannotated(), new HandlerMethodRoutes.Actuator(
        environment.getProperty("management.endpoints.web.base-path", "/actuator"),
        properties.getActuator().getPublicEndpoints()));
  }

  /**
   * Trims the JSON bodies handler methods return to the minimum necessary for what authorised each request, when the
   * application declares a {@link MinimumNecessary} bean (as the JAX-RS feature's {@code minimumNecessary} does).
   *
   * @param minimumNecessary the application's classification of response fields and who may see which
   * @return the response body advice that trims them
   */
  @Bean
  @ConditionalOnBean(MinimumNecessary.class)
  @ConditionalOnMissingBean
  public MinimumNecessaryResponses safeguardsMinimumNecessaryResponses(MinimumNecessary minimumNecessary) {
    return new MinimumNecessaryResponses(minimumNecessary);
  }

  /**
   * The gate's filter, for every request path, ordered by {@code safeguards.filter-order}.
   *
   * @param safeguards the gate the filter runs
   * @param routes the routes it enforces
   * @param properties {@code safeguards.filter-order}
   * @return the filter's registration
   */
  @Bean
  @ConditionalOnMissingBean(name = "safeguardsFilter")
  public FilterRegistrationBean<SafeguardsFilter> safeguardsFilter(Safeguards safeguards,
      HandlerMethodRoutes routes, SafeguardsProperties properties) {
    FilterRegistrationBean<SafeguardsFilter> registration =
        new FilterRegistrationBean<>(SafeguardsFilter.create(safeguards, routes));
    registration.setName("safeguards");
    registration.addUrlPatterns("/*");
    registration.setOrder(properties.getFilterOrder());
    return registration;
  }
}
