package dev.safeguards.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserIdTest {

  @Test
  void parse_canonicalAndUpperCase_giveTheSameId() {
    UserId id = UserId.parse("0193B2C4-7F00-7000-8000-00000000ABCD");
    assertThat(id.toString()).isEqualTo("0193b2c4-7f00-7000-8000-00000000abcd");
    assertThat(UserId.parse(id.toString())).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1-2-3-4-5", "0193b2c4-7f00-7000-8000-00000000abc", "0193b2c4-7f00-7000-8000-00000000abcde",
      "0193b2c47f0070008000000000000abcd000", "0193b2c4_7f00-7000-8000-00000000abcd", "{0193b2c4-7f00-7000-8000-00000000abc}",
      "0193b2c4-7f00-7000-8000-00000000abcg", "0193b2c4-7f00-7000-8000-0000000０abcd", " 193b2c4-7f00-7000-8000-00000000abcd",
      "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "+193b2c4-7f00-7000-8000-00000000abcd"})
  void parse_malformedNilOrMax_isRefusedWithoutEcho(String text) {
    assertThatThrownBy(() -> UserId.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> {
          if (!text.isEmpty()) {
            assertThat(e.getMessage()).doesNotContain(text);
          }
        });
  }

  @Test
  void constructor_refusesNilAndMax() {
    assertThatThrownBy(() -> new UserId(new UUID(0, 0))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UserId(new UUID(-1, -1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UserId(null)).isInstanceOf(NullPointerException.class);
  }
}
