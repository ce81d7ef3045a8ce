package dev.safeguards.spring.boot;

import dev.safeguards.Safeguards;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Spring Boot's actuator: the {@code safeguards} endpoint ({@link SafeguardsEndpoint}, the compliance report) and
 * the {@code safeguards} health indicator ({@link SafeguardsHealthIndicator}). On the application's port the actuator's
 * endpoints are routed by {@link HandlerMethodRoutes.Actuator}: health public, the others for {@code actuator:read};
 * a management port of their own is not behind the gate (docs/spring-boot.md).
 */
@AutoConfiguration(after = SafeguardsAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Safeguards.class)
public class SafeguardsActuatorAutoConfiguration {

  /** Created by Spring Boot when the actuator is on the class path. */
  public SafeguardsActuatorAutoConfiguration() {}

  /**
   * The compliance report endpoint, unless the application declares its own or the endpoint is not available.
   *
   * @param safeguards the gate whose compliance report is served
   * @return the endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  public SafeguardsEndpoint safeguardsEndpoint(Safeguards safeguards) {
    return new SafeguardsEndpoint(safeguards);
  }

  /** The health indicator, when the health module is there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class Health {

    /** The audit log's availability and the keys' ages. */
    @Bean
    @ConditionalOnMissingBean(name = "safeguardsHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("safeguards")
    public SafeguardsHealthIndicator safeguardsHealthIndicator(Safeguards safeguards) {
      return new SafeguardsHealthIndicator(safeguards);
    }
  }
}
