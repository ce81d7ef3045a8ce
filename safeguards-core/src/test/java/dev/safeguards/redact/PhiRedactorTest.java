package dev.safeguards.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A corpus of PHI that must be masked, and of ordinary log content that must be left alone. */
class PhiRedactorTest {

  private final PhiRedactor redactor = PhiRedactor.standard();

  static Stream<Arguments> phi() throws IOException {
    List<String> lines = corpus("phi.txt");
    List<Arguments> cases = new ArrayList<>();
    for (int i = 0; i < lines.size(); i += 2) {
      assertThat(lines.get(i + 1)).startsWith("=> ");
      cases.add(Arguments.of(lines.get(i), lines.get(i + 1).substring(3)));
    }
    return cases.stream();
  }

  static Stream<String> clean() throws IOException {
    return corpus("clean.txt").stream();
  }

  private static List<String> corpus(String name) throws IOException {
    try (InputStream in = PhiRedactorTest.class.getResourceAsStream("/redaction/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    }
  }

  @ParameterizedTest
  @MethodSource("phi")
  void redact_phi_isMasked(String input, String expected) {
    assertThat(redactor.redact(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("clean")
  void redact_ordinaryLogContent_isLeftAlone(String line) {
    assertThat(redactor.redact(line)).isEqualTo(line);
  }

  @Test
  void withShape_addsTheOrganisationsRecordNumbers() {
    PhiRedactor custom = redactor.withShape("MRN", "CLN-\\d{8}");

    assertThat(custom.redact("chart CLN-00482913 opened")).isEqualTo("chart [MRN] opened");
    assertThat(custom.redact("chart XCLN-00482913 opened")).isEqualTo("chart XCLN-00482913 opened");
    assertThatThrownBy(() -> redactor.withShape("mrn", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void luhn_checksCardNumbers() {
    assertThat(PhiRedactor.luhn("4111 1111 1111 1111")).isTrue();
    assertThat(PhiRedactor.luhn("4111 1111 1111 1112")).isFalse();
    assertThat(PhiRedactor.luhn("0000 0000 0")).as("too short").isFalse();
  }
}
