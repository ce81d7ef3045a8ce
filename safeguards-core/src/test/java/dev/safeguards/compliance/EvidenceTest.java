package dev.safeguards.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class EvidenceTest {

  @Test
  void settings_areNormalised_andOtherTypesRefused() {
    Evidence e = Evidence.of("c").setting("d", Duration.ofMinutes(15)).setting("n", 3).setting("b", true)
        .setting("l", List.of("x")).build();

    assertThat(e.settings()).containsExactlyEntriesOf(
        new java.util.TreeMap<>(Map.of("b", true, "d", "PT15M", "l", List.of("x"), "n", 3L)));
    assertThatThrownBy(() -> Evidence.of("c").setting("secret", new byte[32]).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setting secret is not");
  }

  @Test
  void serves_twiceKeepsTheWeakerStatus() {
    Evidence e = Evidence.of("c").serves(Specification.AUDIT_CONTROLS, Status.MET)
        .weakens(Specification.AUDIT_CONTROLS, Status.PARTIALLY_MET, "why").serves(Specification.AUDIT_CONTROLS,
            Status.MET).build();

    assertThat(e.assessment()).containsEntry(Specification.AUDIT_CONTROLS, Status.PARTIALLY_MET);
    assertThat(e.notes()).containsExactly("why");
  }

  @Test
  void nameOf_aLambda_namesTheClassThatMadeIt() {
    Supplier<String> lambda = () -> "x";

    assertThat(Evidence.nameOf(lambda)).isEqualTo("EvidenceTest (function)");
    assertThat(Evidence.nameOf("text")).isEqualTo("String");
  }

  @Test
  void specificationAndStatus_codesRoundTrip() {
    for (Specification s : Specification.values()) {
      assertThat(Specification.ofId(s.id())).isSameAs(s);
      assertThat(s.asvs()).isNotEmpty();
    }
    for (Status s : Status.values()) {
      assertThat(Status.ofCode(s.code())).isSameAs(s);
    }
    assertThat(Status.MET.and(Status.NOT_MET)).isEqualTo(Status.NOT_MET);
    assertThat(Status.MET.or(Status.NOT_MET)).isEqualTo(Status.MET);
    assertThatThrownBy(() -> Specification.ofId("164.312(z)")).isInstanceOf(IllegalArgumentException.class);
  }
}
