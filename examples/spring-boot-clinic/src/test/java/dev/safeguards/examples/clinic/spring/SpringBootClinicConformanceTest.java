package dev.safeguards.examples.clinic.spring;

import dev.safeguards.Safeguards;
import dev.safeguards.conformance.ConformanceSuite;
import dev.safeguards.conformance.TestTls;
import dev.safeguards.examples.clinic.domain.SealedTls;
import dev.safeguards.spring.boot.ConformanceController;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The adapters' conformance suite against the Spring Boot clinic's configuration: its application.properties, its
 * server ({@link ClinicWeb}: HTTPS from the SSL bundle it registers, the plain HTTP port beside it, the
 * minimum-necessary filter of every JSON response) and the starter's auto-configuration, serving the suite's
 * application ({@link ConformanceController}, from the starter's tests) in place of the clinic's controllers, whose
 * paths it shares. The suite brings its own {@code Safeguards} (its tokens, clock, care-team rule and audit capture), so the starter assembles
 * none and the clinic's own safeguards wiring ({@code ClinicBeans}) stays out; the clinic contract covers that.
 */
class SpringBootClinicConformanceTest extends ConformanceSuite {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({ClinicWeb.class, ConformanceController.class})
  static class ClinicServerWithTheSuitesApplication {}

  @Override
  protected Server start(Safeguards safeguards, TestTls tls) {
    SpringApplication application = new SpringApplication(ClinicServerWithTheSuitesApplication.class);
    application.addInitializers(context -> {
      context.getBeanFactory().registerSingleton("safeguards", safeguards);
      context.getBeanFactory().registerSingleton("clinicTls",
          new SealedTls.Loaded(tls.keyStore(), tls.password(), tls.keyStoreFile()));
    });
    ConfigurableApplicationContext context = application.run("--server.port=0", "--clinic.http-port=0");
    int https = ((WebServerApplicationContext) context).getWebServer().getPort();
    ClinicWeb.PlainHttp plain = context.getBean(ClinicWeb.PlainHttp.class);
    return Server.of(() -> https, plain::port, context::close);
  }
}
