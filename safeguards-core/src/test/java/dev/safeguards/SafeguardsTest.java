package dev.safeguards;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SafeguardsTest {

  @Test
  void build_missingParts_failsNamingThePart() {
    assertThatThrownBy(() -> Safeguards.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("Safeguards needs tokens (a TokenVerifier)");
  }
}
