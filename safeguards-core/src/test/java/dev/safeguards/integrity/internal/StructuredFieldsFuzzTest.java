package dev.safeguards.integrity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.safeguards.integrity.internal.StructuredFields.Item;
import dev.safeguards.integrity.internal.StructuredFields.Member;
import dev.safeguards.integrity.internal.StructuredFields.StructuredFieldException;
import dev.safeguards.testing.FuzzInputs;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the RFC 8941 parser with any field lines (one per line of the input; the seeds in
 * {@code StructuredFieldsFuzzTestInputs} are shared by the three methods). Whatever the input, parsing returns a value
 * or throws {@link StructuredFieldException} with a short message; a value serializes to a canonical form that parses
 * back to the same value and serializes to itself.
 */
class StructuredFieldsFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void parseList_anyFieldLines_roundTripsOrFailsWithStructuredFieldException(byte[] data) throws Exception {
    List<Member> parsed;
    try {
      parsed = StructuredFields.parseList(FuzzInputs.lines(data));
    } catch (StructuredFieldException e) {
      FuzzInputs.assertBoundedMessage(e);
      return;
    }
    String canonical = StructuredFields.serializeList(parsed);
    List<Member> again = StructuredFields.parseList(List.of(canonical));
    assertThat(again).isEqualTo(parsed);
    assertThat(StructuredFields.serializeList(again)).isEqualTo(canonical);
  }

  @FuzzTest(maxDuration = "2m")
  void parseDictionary_anyFieldLines_roundTripsOrFailsWithStructuredFieldException(byte[] data) throws Exception {
    Map<String, Member> parsed;
    try {
      parsed = StructuredFields.parseDictionary(FuzzInputs.lines(data));
    } catch (StructuredFieldException e) {
      FuzzInputs.assertBoundedMessage(e);
      return;
    }
    String canonical = StructuredFields.serializeDictionary(parsed);
    Map<String, Member> again = StructuredFields.parseDictionary(List.of(canonical));
    assertThat(again).isEqualTo(parsed);
    assertThat(List.copyOf(again.keySet())).isEqualTo(List.copyOf(parsed.keySet()));
    assertThat(StructuredFields.serializeDictionary(again)).isEqualTo(canonical);
  }

  @FuzzTest(maxDuration = "2m")
  void parseItem_anyFieldLines_roundTripsOrFailsWithStructuredFieldException(byte[] data) throws Exception {
    Item parsed;
    try {
      parsed = StructuredFields.parseItem(FuzzInputs.lines(data));
    } catch (StructuredFieldException e) {
      FuzzInputs.assertBoundedMessage(e);
      return;
    }
    String canonical = StructuredFields.serializeItem(parsed);
    Item again = StructuredFields.parseItem(List.of(canonical));
    assertThat(again).isEqualTo(parsed);
    assertThat(StructuredFields.serializeItem(again)).isEqualTo(canonical);
  }
}
