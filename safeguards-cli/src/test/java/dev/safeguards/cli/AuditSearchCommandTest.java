package dev.safeguards.cli;

import static dev.safeguards.cli.AuditLogFixture.ALICE;
import static dev.safeguards.cli.AuditLogFixture.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSearchCommandTest {

  @TempDir Path tmp;
  private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
  private final Cli cli = new Cli(clock);
  private AuditLogFixture log;

  @BeforeEach
  void writeLog() throws Exception {
    log = new AuditLogFixture(tmp, clock);
  }

  private List<String> search(Object... filters) {
    Object[] args = new Object[3 + filters.length];
    System.arraycopy(new Object[] {"audit", "search", log.directory}, 0, args, 0, 3);
    System.arraycopy(filters, 0, args, 3, filters.length);
    Cli.Result r = cli.run(args);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    return r.out().lines().toList();
  }

  @Test
  void search_noFilter_printsEveryEventInLogOrder() {
    List<String> lines = search();

    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).startsWith("2026-11-23T10:00:00.000Z read success/200 Patient/p-1 user=" + ALICE)
        .contains("session=s-alice", "address=192.0.2.7", "rule=role:clinician", "request=req-p-1", "event=");
    assertThat(lines.get(4)).contains("emergency-grant=g-1");
    assertThat(String.join("\n", lines)).doesNotContain("unconscious");
  }

  @Test
  void search_byUser_printsOnlyTheirEvents() {
    List<String> lines = search("--user", BOB);

    assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).contains("user=" + BOB));
  }

  @Test
  void search_byResourceAndTime_combinesCriteria() {
    assertThat(search("--resource", "Patient/p-2")).hasSize(2);
    assertThat(search("--resource", "Patient")).hasSize(5);
    assertThat(search("--resource", "Patient", "--from", "2026-11-23T10:01:00Z", "--to", "2026-11-23T10:03:00Z"))
        .hasSize(2);
    assertThat(search("--user", ALICE, "--outcome", "minor-failure")).singleElement()
        .asString().contains("update minor-failure/403 Patient/p-2");
    assertThat(search("--emergency-only")).singleElement().asString().contains("Patient/p-1", "user=" + BOB);
    assertThat(search("--action", "update", "--action", "read", "--address", "198.51.100.9")).hasSize(2);
    assertThat(search("--session", "s-alice")).hasSize(4);
  }

  @Test
  void search_jsonFormat_printsOneObjectPerLineWithoutJustification() throws Exception {
    List<String> lines = search("--format", "json", "--emergency-only");

    JsonNode event = new ObjectMapper().readTree(lines.get(0));
    assertThat(event.get("recorded").asText()).isEqualTo("2026-11-23T10:04:00.000Z");
    assertThat(event.get("action").asText()).isEqualTo("read");
    assertThat(event.get("status").asInt()).isEqualTo(200);
    assertThat(event.get("actor").get("user").asText()).isEqualTo(BOB.toString());
    assertThat(event.get("emergencyGrant").asText()).isEqualTo("g-1");
    assertThat(event.get("entities").get(0).get("id").asText()).isEqualTo("p-1");
    assertThat(event.has("justification")).isFalse();
  }

  @Test
  void search_malformedUser_isInputProblemNamingTheOption() {
    Cli.Result r = cli.run("audit", "search", log.directory, "--user", "alice");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("--user", "'alice' is not a user id");
  }

  @Test
  void search_malformedInstant_isInputProblemNamingTheOption() {
    Cli.Result r = cli.run("audit", "search", log.directory, "--from", "2026-11-23");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("--from", "ISO-8601 instant");
  }

  @Test
  void search_rangeEndingBeforeItStarts_isInputProblem() {
    Cli.Result r = cli.run("audit", "search", log.directory,
        "--from", "2026-11-23T11:00:00Z", "--to", "2026-11-23T10:00:00Z");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("--to", "before it starts");
  }

  @Test
  void search_resourceWithSpace_isInputProblem() {
    Cli.Result r = cli.run("audit", "search", log.directory, "--resource", "Patient/John Smith");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("--resource", "visible ASCII without spaces").doesNotContain("John");
  }

  @Test
  void search_unknownFormat_isInputProblem() {
    Cli.Result r = cli.run("audit", "search", log.directory, "--format", "xml");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("--format");
  }

  @Test
  void search_missingDirectory_isInputProblem() {
    Cli.Result r = cli.run("audit", "search", tmp.resolve("nowhere"));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("audit log directory not found", "nowhere");
  }

  @Test
  void search_unreadableEventRecord_exitsOneAskingToVerify() throws Exception {
    List<String> lines = log.lines();
    lines.set(2, lines.get(2).replace("\"action\":\"read\"", "\"action\":\"peek\""));
    log.write(lines);

    Cli.Result r = cli.run("audit", "search", log.directory);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.oneErrorLine()).contains("line 3", "verify the log");
  }
}
