package dev.safeguards.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.identity.Principal;
import jakarta.annotation.security.PermitAll;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The starter beside Spring Security: the application's {@code SecurityFilterChain} and {@code
 * @AuthenticationPrincipal} see the caller the gate authenticated, with its roles as authorities; Spring Security's
 * own rules apply after the gate's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StarterSpringSecurityTest {

  @RestController
  public static class Me {
    @GetMapping("/me")
    @RequiresPermission("note:read")
    public String me(@AuthenticationPrincipal Principal me) {
      return "me " + me.userId() + " " + me.roles();
    }

    @GetMapping("/admin")
    @RequiresPermission("note:read")
    public String admin() {
      return "admin";
    }

    @GetMapping("/ping")
    @PermitAll
    public String ping() {
      return "pong";
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({Me.class, TestServers.PlainConnector.class})
  static class Application {
    @Bean
    SecurityFilterChain api(HttpSecurity http) {
      return http.csrf(csrf -> csrf.disable())
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .authorizeHttpRequests(a -> a.requestMatchers("/ping").permitAll()
              .requestMatchers("/admin").hasRole("admin")
              .anyRequest().hasRole("clinician"))
          .build();
    }
  }

  @TempDir
  static Path dir;
  private TestApp app;

  @BeforeAll
  void start() throws Exception {
    app = TestApp.started(dir, Map.of(), Application.class);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return app.get(path, token);
  }

  @Test
  void authenticationPrincipal_isTheGatesCaller() throws Exception {
    HttpResponse<String> r = get("/me", app.idp().token("clinician"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("me " + TestIdentityProvider.ALICE + " [clinician]");
  }

  @Test
  void springSecuritysRules_applyAfterTheGate() throws Exception {
    assertThat(get("/admin", app.idp().token("clinician")).statusCode()).isEqualTo(403);
    assertThat(get("/ping", null).body()).isEqualTo("pong");
  }

  @Test
  void theGateRefusesFirst_withoutAToken() throws Exception {
    HttpResponse<String> r = get("/me", null);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }
}
