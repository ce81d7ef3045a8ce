package dev.safeguards.spring.boot;

import dev.safeguards.Safeguards;
import dev.safeguards.conformance.ConformanceSuite;
import dev.safeguards.conformance.TestTls;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The conformance suite against a Spring Boot application (embedded Tomcat 11, Spring MVC) protected by the starter:
 * the suite's {@code Safeguards} is the application's own bean, the routes come from the controller's annotations.
 */
class SpringBootConformanceTest extends ConformanceSuite {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({ConformanceController.class, TestServers.PlainConnector.class})
  static class Application {}

  @Override
  protected Server start(Safeguards safeguards, TestTls tls) {
    return TestServers.start(tls, Map.of(),
        context -> context.getBeanFactory().registerSingleton("safeguards", safeguards), Application.class);
  }
}
