package dev.safeguards.spring.boot;

import dev.safeguards.audit.AuditSink;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the gate's audit events, alerts and audit log ({@link MicrometerSafeguardsMetrics}), when the
 * application has a {@code MeterRegistry} (Spring Boot's actuator gives it one).
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class SafeguardsMetricsAutoConfiguration {

  /** Created by Spring Boot when Micrometer is on the class path. */
  public SafeguardsMetricsAutoConfiguration() {}

  /**
   * The meters; the auto-configured {@code Safeguards} counts through them.
   *
   * @param registry the application's meter registry
   * @param audit the audit sink bean, if there is one, whose own statistics are exposed too
   * @return the meters, also a {@code MeterBinder} of the audit sink's own statistics
   */
  @Bean
  @ConditionalOnMissingBean(SafeguardsMetrics.class)
  public MicrometerSafeguardsMetrics safeguardsMetrics(MeterRegistry registry, ObjectProvider<AuditSink> audit) {
    return new MicrometerSafeguardsMetrics(registry, audit.getIfAvailable());
  }
}
