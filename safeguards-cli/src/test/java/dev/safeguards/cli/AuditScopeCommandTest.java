package dev.safeguards.cli;

import static dev.safeguards.cli.AuditLogFixture.ALICE;
import static dev.safeguards.cli.AuditLogFixture.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditScopeCommandTest {

  @TempDir Path tmp;
  private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
  private final Cli cli = new Cli(clock);
  private AuditLogFixture log;

  @BeforeEach
  void writeLog() throws Exception {
    log = new AuditLogFixture(tmp, clock);
  }

  private JsonNode scopeJson(Object... args) throws Exception {
    Object[] all = new Object[3 + args.length];
    System.arraycopy(new Object[] {"audit", "scope", log.directory}, 0, all, 0, 3);
    System.arraycopy(args, 0, all, 3, args.length);
    Cli.Result r = cli.run(all);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void scope_user_listsEveryResourceTheyTouched() throws Exception {
    JsonNode scope = scopeJson("--user", ALICE);

    assertThat(scope.get("events").asInt()).isEqualTo(4);
    assertThat(scope.get("resources")).hasSize(3);
    JsonNode p2 = scope.get("resources").get(2); // sorted: Encounter/e-9, Patient/p-1, Patient/p-2
    assertThat(p2.get("type").asText() + "/" + p2.get("id").asText()).isEqualTo("Patient/p-2");
    assertThat(p2.get("accesses").asInt()).isEqualTo(2);
    assertThat(p2.get("successfulAccesses").asInt()).isEqualTo(1);
  }

  @Test
  void scope_addressWithTypeAndTime_narrowsTheReport() throws Exception {
    JsonNode scope = scopeJson("--address", "198.51.100.9", "--type", "Patient", "--from", "2026-11-23T10:03:00Z");

    assertThat(scope.get("resources")).singleElement().satisfies(r -> {
      assertThat(r.get("id").asText()).isEqualTo("p-1");
      assertThat(r.get("emergencyAccess").asBoolean()).isTrue();
      assertThat(r.get("users").get(0).asText()).isEqualTo(BOB.toString());
    });
  }

  @Test
  void scope_sessionAsCsv_printsHeaderAndOneRowPerResource() {
    Cli.Result r = cli.run("audit", "scope", log.directory, "--session", "s-alice", "--type", "Patient",
        "--format", "csv");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("type,id,accesses,successfulAccesses,firstAccess,lastAccess,actions,users,"
        + "emergencyAccess\r\n");
    assertThat(r.out().split("\r\n")).hasSize(3);
    assertThat(r.out()).contains("\"Patient\",\"p-2\",\"2\",\"1\"");
  }

  @Test
  void scope_withoutSubject_isUsageError() {
    Cli.Result r = cli.run("audit", "scope", log.directory);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.oneErrorLine()).contains("--user", "--session", "--address");
  }

  @Test
  void scope_twoSubjects_isUsageError() {
    Cli.Result r = cli.run("audit", "scope", log.directory, "--user", ALICE, "--session", "s-alice");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.oneErrorLine()).contains("mutually exclusive");
  }

  @Test
  void scope_missingDirectory_isInputProblem() {
    Cli.Result r = cli.run("audit", "scope", tmp.resolve("nowhere"), "--user", ALICE);

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("audit log directory not found");
  }
}
