package dev.safeguards.examples.clinic.spring;

import dev.safeguards.examples.clinic.domain.TokenCommand;
import java.time.Clock;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import picocli.CommandLine;

/**
 * The clinic API as a Spring Boot application: the same endpoints, roles, answers and data directory as
 * examples/clinic-api, protected by {@code safeguards-spring-boot-starter} and the {@code safeguards.*} properties in
 * application.properties, with the controllers' access annotations (deny by default). Its parts are imported by name
 * rather than scanned, so that the tests can run the same parts beside others.
 *
 * <p>{@code java -jar spring-boot-clinic.jar} serves (any {@code --property=value} of application.properties
 * overrides it); {@code java -jar spring-boot-clinic.jar token --data-dir DIR --user NAME --role ROLE --mfa} prints a
 * token from the demo identity provider (exit codes: 0, 2 bad arguments, 3 a data directory or key problem).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ClinicWeb.class, ClinicBeans.class, ClinicProblems.class, PatientController.class,
    ClinicController.class})
public class SpringBootClinic {

  /** The name its messages start with. */
  static final String NAME = "spring-boot-clinic";

  /** Serves the clinic, or with {@code token} as the first argument, prints a token. */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("token")) {
      System.exit(tokenCommand(Clock.systemUTC()).execute(Arrays.copyOfRange(args, 1, args.length)));
    } else {
      SpringApplication.run(SpringBootClinic.class, args);
    }
  }

  /** The demo identity provider's {@code token} command, with {@code clock} for the token's times. */
  static CommandLine tokenCommand(Clock clock) {
    return TokenCommand.commandLine(NAME, clock).setCommandName(NAME + " token");
  }
}
