package dev.safeguards.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.safeguards.testing.FuzzInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes route patterns and path matching through the public API only ({@link Route}, {@link Routes}): the first
 * line of the input is a pattern, every further line a raw path to look up. Compiling a pattern either works or throws
 * {@link IllegalArgumentException}; looking up any path never throws; a match binds every parameter of the pattern to
 * one non-empty segment without {@code /}, and putting the parameters back into the pattern gives the path.
 */
class RoutesFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void lookup_anyPatternAndPaths_matchesWholeSegmentsOrNothing(byte[] data) {
    List<String> lines = FuzzInputs.lines(data);
    if (lines.isEmpty()) {
      return;
    }
    String pattern = lines.get(0);
    Route route;
    try {
      route = Route.publicRoute("GET", pattern);
    } catch (IllegalArgumentException e) {
      FuzzInputs.assertBoundedMessage(e);
      return;
    }
    Routes routes = Routes.of(route, Route.publicRoute("POST", "/fixed/{id:uuid}"));
    for (String path : lines.subList(1, lines.size())) {
      Routes.Lookup get = routes.lookup("GET", path);
      Routes.Lookup delete = routes.lookup("DELETE", path);
      if (get.match().isEmpty()) {
        assertThat(delete.allowedMethods()).doesNotContain("GET");
        continue;
      }
      assertThat(delete.match()).isEmpty();
      assertThat(delete.allowedMethods()).contains("GET");
      Map<String, String> parameters = get.match().get().parameters();
      assertThat(get.match().get().route()).isEqualTo(route);
      assertThat(parameters.values()).allSatisfy(v -> assertThat(v).isNotEmpty().doesNotContain("/"));
      assertThat(fill(pattern, parameters)).as("the pattern with the parameters put back").contains(path);
    }
  }

  /** The pattern with each {@code {name}} or {@code {name:uuid}} replaced by its value; empty if one is missing. */
  private static Optional<String> fill(String pattern, Map<String, String> parameters) {
    if (pattern.equals("/")) {
      return Optional.of("/");
    }
    List<String> out = new ArrayList<>();
    for (String segment : pattern.substring(1).split("/", -1)) {
      if (segment.startsWith("{") && segment.endsWith("}")) {
        String name = segment.substring(1, segment.length() - 1).replace(":uuid", "");
        if (!parameters.containsKey(name)) {
          return Optional.empty();
        }
        out.add(parameters.get(name));
      } else {
        out.add(segment);
      }
    }
    return Optional.of("/" + String.join("/", out));
  }
}
