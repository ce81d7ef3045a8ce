package dev.safeguards.examples.clinic.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.alert.AlertSink;
import dev.safeguards.examples.clinic.contract.ClinicContract;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/**
 * The clinic contract against the Spring Boot clinic: the application its {@code main} runs (embedded Tomcat over
 * real TLS, Spring MVC, the starter, a real SQLite file and audit log) with its application.properties, overridden
 * only where a test must (free ports, the data directory, the idle timeout, an anchor directory), plus the test's
 * clock and alert capture as beans. Tokens come from its {@code token} command, as a user mints them.
 */
class SpringBootClinicContractTest extends ClinicContract {

  @Override
  protected Clinic start(Path data, Path anchors, Clock clock, Duration idleTimeout, AlertSink alerts) {
    SpringApplication application = new SpringApplication(SpringBootClinic.class);
    application.addInitializers(context -> {
      context.getBeanFactory().registerSingleton("clock", clock);
      context.getBeanFactory().registerSingleton("alertCapture", new AlertDestination(alerts));
    });
    ConfigurableApplicationContext context = application.run("--clinic.data-dir=" + data, "--server.port=0",
        "--clinic.http-port=0", "--safeguards.session.idle-timeout=" + idleTimeout.toSeconds() + "s",
        "--safeguards.audit.anchor-directories=" + anchors);
    int https = ((WebServerApplicationContext) context).getWebServer().getPort();
    int http = context.getBean(ClinicWeb.PlainHttp.class).port();
    return new Clinic() {
      @Override
      public int httpsPort() {
        return https;
      }

      @Override
      public int httpPort() {
        return http;
      }

      @Override
      public void stop() {
        context.close();
      }
    };
  }

  @Override
  protected int run(Clock clock, PrintWriter out, PrintWriter err, String... args) {
    assertThat(args[0]).as("the contract runs the token command").isEqualTo("token");
    CommandLine token = SpringBootClinic.tokenCommand(clock);
    token.setOut(out);
    token.setErr(err);
    return token.execute(Arrays.copyOfRange(args, 1, args.length));
  }
}
