package dev.safeguards.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProblemTest {

  @Test
  void ofStatus_titlesTheStatusByItsReasonPhrase() {
    assertThat(Problem.ofStatus(401).title()).isEqualTo("Unauthorized");
    assertThat(Problem.ofStatus(403).title()).isEqualTo("Forbidden");
    assertThat(Problem.ofStatus(404).title()).isEqualTo("Not Found");
    assertThat(Problem.ofStatus(413).title()).isEqualTo("Content Too Large");
    assertThat(Problem.ofStatus(499).title()).isEqualTo("Client Error");
    assertThat(Problem.ofStatus(599).title()).isEqualTo("Internal Server Error");
  }

  @Test
  void body_isAnRfc9457Problem() {
    assertThat(new String(Problem.ofStatus(401).body(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
            + "\"detail\":\"The request could not be completed.\"}");
  }
}
