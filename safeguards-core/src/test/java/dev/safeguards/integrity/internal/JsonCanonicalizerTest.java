package dev.safeguards.integrity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 8785 examples, and 5,000 number serializations produced by V8 (node v20), generated into
 * src/test/resources/vectors/ecmascript-number-serialization.txt with:
 * {@code node -e '... for each bit pattern: lines.push(hex + " " + JSON.stringify(buffer.readDoubleBE(0))) ...'}
 * (the file's header gives the generator, seed and mix).
 */
class JsonCanonicalizerTest {

  private static String canonical(String json) {
    return new String(JsonCanonicalizer.canonicalize(JsonCanonicalizer.parseStrict(json.getBytes(StandardCharsets.UTF_8))),
        StandardCharsets.UTF_8);
  }

  @Test
  void canonicalize_rfc8785Sample_matchesTheRfc() {
    String input = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
        + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
        + "  \"literals\": [null, true, false]\n}";
    assertThat(canonical(input)).isEqualTo("{\"literals\":[null,true,false],"
        + "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
        + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
  }

  @Test
  void canonicalize_sortsByUtf16CodeUnits_asTheRfcExample() {
    String input = "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\","
        + " \"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\","
        + " \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";
    assertThat(canonical(input)).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
        + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
        + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ' ', value = {
      "0000000000000000 0", "8000000000000000 0", "0000000000000001 5e-324", "8000000000000001 -5e-324",
      "7fefffffffffffff 1.7976931348623157e+308", "ffefffffffffffff -1.7976931348623157e+308",
      "4340000000000000 9007199254740992", "c340000000000000 -9007199254740992",
      "4430000000000000 295147905179352830000", "44b52d02c7e14af5 9.999999999999997e+22",
      "44b52d02c7e14af6 1e+23", "44b52d02c7e14af7 1.0000000000000001e+23", "444b1ae4d6e2ef4e 999999999999999700000",
      "444b1ae4d6e2ef4f 999999999999999900000", "444b1ae4d6e2ef50 1e+21", "3eb0c6f7a0b5ed8c 9.999999999999997e-7",
      "3eb0c6f7a0b5ed8d 0.000001", "41b3de4355555553 333333333.3333332", "41b3de4355555554 333333333.33333325",
      "41b3de4355555555 333333333.3333333", "41b3de4355555556 333333333.3333334",
      "41b3de4355555557 333333333.33333343", "becbf647612f3696 -0.0000033333333333333333",
      "43143ff3c1cb0959 1424953923781206.2"})
  void number_rfc8785AppendixB_matches(String bits, String expected) {
    assertThat(JsonCanonicalizer.number(Double.longBitsToDouble(HexFormat.fromHexDigitsToLong(bits))))
        .isEqualTo(expected);
  }

  @Test
  void number_fiveThousandV8Serializations_match() throws Exception {
    int checked = 0;
    try (InputStream in = getClass().getResourceAsStream("/vectors/ecmascript-number-serialization.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split(" ");
        double d = Double.longBitsToDouble(HexFormat.fromHexDigitsToLong(parts[0]));
        assertThat(JsonCanonicalizer.number(d)).as("bits %s", parts[0]).isEqualTo(parts[1]);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(4900);
  }

  @Test
  void canonicalize_integersAreDoubles_likeEcmascript() {
    assertThat(canonical("[9007199254740993, 1.0, -0, 100, 1e2, 12345678901234567890]"))
        .isEqualTo("[9007199254740992,1,0,100,100,12345678901234567000]");
  }

  @Test
  void canonicalize_nestedAndEmpty_areCompact() {
    assertThat(canonical(" { \"b\" : [ ] , \"a\" : { } , \"c\": [ { \"z\": 1, \"y\": [true] } ] } "))
        .isEqualTo("{\"a\":{},\"b\":[],\"c\":[{\"y\":[true],\"z\":1}]}");
  }

  @Test
  void canonicalize_isIdempotent() {
    String once = canonical("{\"x\":[1.5e300,\"\\u0001\\u007f\\u2028\"],\"a\":null}");
    assertThat(canonical(once)).isEqualTo(once);
    assertThat(once).isEqualTo("{\"a\":null,\"x\":[1.5e+300,\"\\u0001\u007f\u2028\"]}");
  }

  @Test
  void refuses_duplicatesTrailingContentNanAndLoneSurrogates() {
    assertThatThrownBy(() -> canonical("{\"a\":1,\"a\":2}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> canonical("{\"a\":1} x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> canonical("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> canonical("[\"\\ud800\"]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> canonical("[\"\\udc00x\"]")).isInstanceOf(IllegalArgumentException.class);
    ObjectNode nan = JsonNodeFactory.instance.objectNode().put("n", Double.NaN);
    assertThatThrownBy(() -> JsonCanonicalizer.canonicalize(nan)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> canonical("[1e400]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> canonical("{\"ssn\":\"123-45-6789\",}"))
        .hasMessageNotContaining("123-45-6789");
  }

  @Test
  void parseStrict_keepsTheValue() {
    JsonNode node = JsonCanonicalizer.parseStrict("{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8));
    assertThat(node.get("a").get(1).intValue()).isEqualTo(2);
  }
}
