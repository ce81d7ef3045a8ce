package dev.safeguards.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.safeguards.testing.FuzzInputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fuzzes collecting header fields: every line of the input is a field line {@code name:value} (with {@code \n} for a
 * line feed inside the value). Adding one either works
 * or throws {@link IllegalArgumentException} (a name that is not a token, a value with CR, LF or NUL); what was added
 * is found again under its name in any case, in order, and nothing else is.
 */
class HttpFieldsFuzzTest {

  @FuzzTest(maxDuration = "1m")
  void add_anyFieldLines_keepsTokenNamedLinesInOrderOrThrowsIllegalArgumentException(byte[] data) {
    HttpFields.Builder builder = HttpFields.builder();
    Map<String, List<String>> expected = new LinkedHashMap<>();
    for (String line : FuzzInputs.lines(data)) {
      int colon = line.indexOf(':');
      String name = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1).replace("\\n", "\n");
      try {
        builder.add(name, value);
      } catch (IllegalArgumentException e) {
        FuzzInputs.assertBoundedMessage(e);
        assertThat(isToken(name) && value.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0))
            .as("refused a token name with a clean value").isFalse();
        continue;
      }
      assertThat(isToken(name)).as("accepted a name that is not a token").isTrue();
      assertThat(value).doesNotContain("\r", "\n", "\0");
      expected.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    }
    HttpFields fields = builder.build();
    assertThat(List.copyOf(fields.names())).isEqualTo(List.copyOf(expected.keySet()));
    expected.forEach((name, values) -> {
      assertThat(fields.values(name)).isEqualTo(values);
      assertThat(fields.values(name.toUpperCase(Locale.ROOT))).isEqualTo(values);
    });
  }

  /** RFC 9110 token, written out independently of the class under test. */
  private static boolean isToken(String s) {
    return s.matches("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
  }
}
