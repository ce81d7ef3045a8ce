package dev.safeguards.integrity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.integrity.internal.StructuredFields.InnerList;
import dev.safeguards.integrity.internal.StructuredFields.Item;
import dev.safeguards.integrity.internal.StructuredFields.Member;
import dev.safeguards.integrity.internal.StructuredFields.Parameters;
import dev.safeguards.integrity.internal.StructuredFields.SfBoolean;
import dev.safeguards.integrity.internal.StructuredFields.SfBytes;
import dev.safeguards.integrity.internal.StructuredFields.SfDecimal;
import dev.safeguards.integrity.internal.StructuredFields.SfInteger;
import dev.safeguards.integrity.internal.StructuredFields.SfString;
import dev.safeguards.integrity.internal.StructuredFields.SfToken;
import dev.safeguards.integrity.internal.StructuredFields.StructuredFieldException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8941 examples and the edges of its grammar. */
class StructuredFieldsTest {

  private static Item item(String s) throws StructuredFieldException {
    return StructuredFields.parseItem(List.of(s));
  }

  @Test
  void parseItem_bareItemTypes_areRecognised() throws Exception {
    assertThat(item("42").value()).isEqualTo(new SfInteger(42));
    assertThat(item("-42").value()).isEqualTo(new SfInteger(-42));
    assertThat(item("4.5").value()).isEqualTo(new SfDecimal(new BigDecimal("4.5")));
    assertThat(item("\"hello world\"").value()).isEqualTo(new SfString("hello world"));
    assertThat(item("foo123/456").value()).isEqualTo(new SfToken("foo123/456"));
    assertThat(item("*foo:bar").value()).isEqualTo(new SfToken("*foo:bar"));
    assertThat(item(":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:").value())
        .isEqualTo(new SfBytes("pretend this is binary content.".getBytes(StandardCharsets.US_ASCII)));
    assertThat(item("?1").value()).isEqualTo(new SfBoolean(true));
    assertThat(item("?0").value()).isEqualTo(new SfBoolean(false));
    assertThat(item("  \"a\\\"b\\\\c\"  ").value()).isEqualTo(new SfString("a\"b\\c"));
  }

  @Test
  void parseItem_withParameters_keepsOrderAndDefaultsToTrue() throws Exception {
    Item i = item("5; foo=bar;baz;q=0.5");
    assertThat(i.parameters().map()).containsExactly(
        Map.entry("foo", new SfToken("bar")),
        Map.entry("baz", new SfBoolean(true)),
        Map.entry("q", new SfDecimal(new BigDecimal("0.5"))));
    assertThat(StructuredFields.serializeItem(i)).isEqualTo("5;foo=bar;baz;q=0.5");
  }

  @Test
  void parseList_rfcExamples_roundTrip() throws Exception {
    assertThat(StructuredFields.serializeList(StructuredFields.parseList(List.of("sugar, tea, rum"))))
        .isEqualTo("sugar, tea, rum");
    assertThat(StructuredFields.serializeList(StructuredFields.parseList(List.of("sugar, tea", "rum"))))
        .isEqualTo("sugar, tea, rum");
    List<Member> inner = StructuredFields.parseList(List.of("(\"foo\" \"bar\"), (\"baz\"), (\"bat\" \"one\"), ()"));
    assertThat(inner).hasSize(4);
    assertThat(((InnerList) inner.get(3)).items()).isEmpty();
    assertThat(StructuredFields.serializeList(inner)).isEqualTo("(\"foo\" \"bar\"), (\"baz\"), (\"bat\" \"one\"), ()");
    assertThat(StructuredFields.serializeList(StructuredFields.parseList(
        List.of("(\"foo\";a=1;b=2);lvl=5, (\"bar\" \"baz\");lvl=1"))))
        .isEqualTo("(\"foo\";a=1;b=2);lvl=5, (\"bar\" \"baz\");lvl=1");
    assertThat(StructuredFields.serializeList(StructuredFields.parseList(List.of("abc;a=1;b=2; cde_456, (ghi;jk=4 l);q=\"9\";r=w"))))
        .isEqualTo("abc;a=1;b=2;cde_456, (ghi;jk=4 l);q=\"9\";r=w");
    assertThat(StructuredFields.parseList(List.of(""))).isEmpty();
  }

  @Test
  void parseDictionary_rfcExamples_roundTrip() throws Exception {
    Map<String, Member> d = StructuredFields.parseDictionary(List.of("en=\"Applepie\", da=:w4ZibGV0w6ZydGU=:"));
    assertThat(d.keySet()).containsExactly("en", "da");
    assertThat(((Item) d.get("da")).value()).isEqualTo(new SfBytes("Æbletærte".getBytes(StandardCharsets.UTF_8)));
    assertThat(StructuredFields.serializeDictionary(d)).isEqualTo("en=\"Applepie\", da=:w4ZibGV0w6ZydGU=:");

    Map<String, Member> flags = StructuredFields.parseDictionary(List.of("a=?0, b, c; foo=bar"));
    assertThat(((Item) flags.get("b")).value()).isEqualTo(new SfBoolean(true));
    assertThat(StructuredFields.serializeDictionary(flags)).isEqualTo("a=?0, b, c;foo=bar");

    assertThat(StructuredFields.serializeDictionary(StructuredFields.parseDictionary(List.of("rating=1.5, feelings=(joy sadness)"))))
        .isEqualTo("rating=1.5, feelings=(joy sadness)");
  }

  @Test
  void parseDictionary_duplicateKey_overwritesInPlace() throws Exception {
    Map<String, Member> d = StructuredFields.parseDictionary(List.of("a=1, b=2, a=3"));
    assertThat(d.keySet()).containsExactly("a", "b");
    assertThat(((Item) d.get("a")).value()).isEqualTo(new SfInteger(3));
  }

  @Test
  void numbers_atTheirLimits() throws Exception {
    assertThat(item("999999999999999").value()).isEqualTo(new SfInteger(999_999_999_999_999L));
    assertThat(item("-999999999999999").value()).isEqualTo(new SfInteger(-999_999_999_999_999L));
    assertThat(item("123456789012.123").value()).isEqualTo(new SfDecimal(new BigDecimal("123456789012.123")));
    assertThat(StructuredFields.serializeBareItem(new SfDecimal(new BigDecimal("1.0005")))).isEqualTo("1.0");
    assertThat(StructuredFields.serializeBareItem(new SfDecimal(new BigDecimal("1.0015")))).isEqualTo("1.002");
    assertThat(StructuredFields.serializeBareItem(new SfDecimal(new BigDecimal("100")))).isEqualTo("100.0");
    assertThat(StructuredFields.serializeBareItem(new SfDecimal(BigDecimal.ZERO))).isEqualTo("0.0");
    assertThat(StructuredFields.serializeBareItem(new SfDecimal(new BigDecimal("-0.25")))).isEqualTo("-0.25");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "1000000000000000", // 16-digit integer
      "1234567890123.0", // 13 integer digits
      "1.2345", // 4 fraction digits
      "1.", "-", "- 1", "--1", "1..2",
      "\"unterminated", "\"bad \\n escape\"", "\"tab\tinside\"", "\"é\"",
      ":not base64!:", ":YQ==", ":Y=Q=:",
      "?2", "?", "a=1", "", "   ", "#hash", "1 2", "(\"a\"", "(\"a\"\"b\")", "1;A=2", "1;=2", "1;a=", "1;a=#",
  })
  void parseItem_malformed_fails(String input) {
    assertThatThrownBy(() -> item(input)).isInstanceOf(StructuredFieldException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a,", "a, , b", "a b", "a,,b", "(a b", "a=1"})
  void parseList_malformed_fails(String input) {
    assertThatThrownBy(() -> StructuredFields.parseList(List.of(input))).isInstanceOf(StructuredFieldException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a=1,", "A=1", "a=1 b=2", "1a=2", "a=1,,b=2", "a=(1 2", "a=:YQ==:x"})
  void parseDictionary_malformed_fails(String input) {
    assertThatThrownBy(() -> StructuredFields.parseDictionary(List.of(input)))
        .isInstanceOf(StructuredFieldException.class);
  }

  @Test
  void parse_absentField_fails_andMessagesDoNotEchoTheInput() {
    assertThatThrownBy(() -> StructuredFields.parseDictionary(List.of())).isInstanceOf(StructuredFieldException.class);
    assertThatThrownBy(() -> item("\"secret-value"))
        .isInstanceOf(StructuredFieldException.class)
        .hasMessageNotContaining("secret-value")
        .hasMessageContaining("position");
  }

  @Test
  void serialize_escapesAndCanonicalisesEveryType() {
    Map<String, Member> d = new LinkedHashMap<>();
    d.put("s", Item.of(new SfString("say \"hi\" \\o/")));
    d.put("b", Item.of(new SfBytes(new byte[] {1, 2, 3})));
    d.put("f", Item.of(new SfBoolean(false)));
    d.put("t", new Item(new SfBoolean(true), new Parameters(Map.of("x", new SfInteger(1)))));
    d.put("l", new InnerList(List.of(Item.of(new SfToken("a")), Item.of(new SfInteger(-7))), Parameters.EMPTY));
    assertThat(StructuredFields.serializeDictionary(d))
        .isEqualTo("s=\"say \\\"hi\\\" \\\\o/\", b=:AQID:, f=?0, t;x=1, l=(a -7)");
  }

  @Test
  void model_refusesValuesOutsideTheGrammar() {
    assertThatThrownBy(() -> new SfString("é")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SfToken("1abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SfInteger(1_000_000_000_000_000L)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Parameters(Map.of("Upper", new SfInteger(1)))).isInstanceOf(IllegalArgumentException.class);
  }
}
