package dev.safeguards.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LengthPrefixedTest {

  @Test
  void encode_writesEachPartAsItsBigEndianUtf8LengthThenItsBytes() {
    assertThat(HexFormat.of().formatHex(LengthPrefixed.encode("ab", "", "é")))
        .isEqualTo("00000002" + "6162" + "00000000" + "00000002" + "c3a9");
    assertThat(LengthPrefixed.encode()).isEmpty();
  }

  @Test
  void append_extendsAnEncoding() {
    assertThat(LengthPrefixed.append(LengthPrefixed.encode("ab", ""), "é"))
        .isEqualTo(LengthPrefixed.encode("ab", "", "é"));
    assertThat(LengthPrefixed.append(LengthPrefixed.encode(), "x")).isEqualTo(LengthPrefixed.encode("x"));
  }

  @Test
  void encode_differentSplitsOfTheSameText_differ() {
    assertThat(LengthPrefixed.encode("ab", "c")).isNotEqualTo(LengthPrefixed.encode("a", "bc"));
    assertThat(LengthPrefixed.encode("abc")).isNotEqualTo(LengthPrefixed.encode("abc", ""));
  }
}
