package dev.safeguards.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void body_everyControlCharacterAndLineSeparator_isEscapedAndParsesBack() throws Exception {
    ObjectMapper strict = new ObjectMapper();
    List<Character> characters = new ArrayList<>();
    for (char c = 0; c < 0x20; c++) {
      characters.add(c);
    }
    characters.addAll(List.of('\u2028', '\u2029', '"', '\\', '/', '\u007f', '\u00e9'));
    for (char c : characters) {
      String title = "a" + c + "b";
      String detail = c + "x" + c;
      byte[] body = new Problem(400, title, detail).body();
      String raw = new String(body, StandardCharsets.UTF_8);

      JsonNode parsed = strict.readTree(body);

      assertThat(parsed.get("title").textValue()).as("U+%04X", (int) c).isEqualTo(title);
      assertThat(parsed.get("detail").textValue()).as("U+%04X", (int) c).isEqualTo(detail);
      assertThat(parsed.get("status").intValue()).isEqualTo(400);
      assertThat(parsed.get("type").textValue()).isEqualTo("about:blank");
      assertThat(raw.chars()).as("U+%04X", (int) c)
          .noneMatch(ch -> ch < 0x20 || ch == 0x2028 || ch == 0x2029);
    }
  }

  @Test
  void body_controlCharacters_useTheShortEscapesWhereJsonHasThem() {
    String raw = new String(new Problem(400, "t\b\f\n\r\t", "\u0000\u001f\u2028\u2029").body(),
        StandardCharsets.UTF_8);

    assertThat(raw).contains("\"title\":\"t\\b\\f\\n\\r\\t\"",
        "\"detail\":\"\\u0000\\u001f\\u2028\\u2029\"");
  }
}
