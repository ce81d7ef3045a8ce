package dev.safeguards.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void textWithoutAUtf8Form_isRefused_ratherThanEncodedLikeAQuestionMark() {
    assertThatThrownBy(() -> LengthPrefixed.encode("a\uD800")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LengthPrefixed.encode("\uDC00b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LengthPrefixed.append(LengthPrefixed.encode("x"), "a\uD800"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(HexFormat.of().formatHex(LengthPrefixed.encode("\uD83D\uDE00"))).isEqualTo("00000004f09f9880");
  }

  @Test
  void encode_differentSplitsOfTheSameText_differ() {
    assertThat(LengthPrefixed.encode("ab", "c")).isNotEqualTo(LengthPrefixed.encode("a", "bc"));
    assertThat(LengthPrefixed.encode("abc")).isNotEqualTo(LengthPrefixed.encode("abc", ""));
  }
}
