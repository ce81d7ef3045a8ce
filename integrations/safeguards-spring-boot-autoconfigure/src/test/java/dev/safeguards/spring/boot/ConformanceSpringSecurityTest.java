package dev.safeguards.spring.boot;

import dev.safeguards.Safeguards;
import dev.safeguards.conformance.ConformanceSuite;
import dev.safeguards.conformance.TestTls;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The conformance suite against the same application with Spring Security beside the gate, as docs/spring-boot.md
 * shows it: a {@code SecurityFilterChain} of the application's (without which Boot's default chain would ask for a
 * password), stateless, leaving authentication and authorization to the gate.
 */
class ConformanceSpringSecurityTest extends ConformanceSuite {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({ConformanceController.class, TestServers.PlainConnector.class})
  static class Application {
    @Bean
    SecurityFilterChain api(HttpSecurity http) {
      return http.csrf(csrf -> csrf.disable())
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .authorizeHttpRequests(a -> a.anyRequest().permitAll())
          .build();
    }
  }

  @Override
  protected Server start(Safeguards safeguards, TestTls tls) {
    return TestServers.start(tls, Map.of(),
        context -> context.getBeanFactory().registerSingleton("safeguards", safeguards), Application.class);
  }
}
