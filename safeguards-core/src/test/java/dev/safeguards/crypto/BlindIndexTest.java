package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlindIndexTest {

  @TempDir Path dir;
  private Keyring keys;
  private BlindIndex ssn;

  @BeforeEach
  void setUp() throws Exception {
    keys = TestKeys.keyring(dir);
    ssn = keys.blindIndex("Patient", "ssn").normalizer(Normalizer.digitsOnly()).build();
  }

  @Test
  void token_isDeterministic_andHidesTheValue() {
    String token = ssn.token("123-45-6789");

    assertThat(ssn.token("123-45-6789")).isEqualTo(token);
    assertThat(token).startsWith("bi1:" + keys.keyset(KeyPurpose.BLIND_INDEX).primaryKeyId() + ":")
        .doesNotContain("123", "6789");
    assertThat(Base64.getUrlDecoder().decode(token.substring(13))).hasSize(32);
  }

  @Test
  void token_normalizedSpellings_match_differentValuesDont() {
    assertThat(ssn.token("123 45 6789")).isEqualTo(ssn.token("123-45-6789")).isEqualTo(ssn.token("１２３456789"));
    assertThat(ssn.token("123-45-6780")).isNotEqualTo(ssn.token("123-45-6789"));
  }

  @Test
  void token_ofTextWithLoneSurrogate_isRefused_notConfusedWithAQuestionMark() {
    BlindIndex name = keys.blindIndex("Patient", "name").build();

    assertThat(name.token("Ada?")).startsWith("bi1:");
    assertThatThrownBy(() -> name.token("Ada\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("Ada");
  }

  @Test
  void token_isBoundToEntityAndField() {
    BlindIndex phone = keys.blindIndex("Patient", "phone").normalizer(Normalizer.digitsOnly()).build();
    BlindIndex staffSsn = keys.blindIndex("Practitioner", "ssn").normalizer(Normalizer.digitsOnly()).build();

    assertThat(phone.token("123456789")).isNotEqualTo(ssn.token("123456789"));
    assertThat(staffSsn.token("123456789")).isNotEqualTo(ssn.token("123456789"));
  }

  @Test
  void token_underAnotherKeyring_differs(@TempDir Path other) throws Exception {
    BlindIndex foreign = TestKeys.keyring(other).blindIndex("Patient", "ssn").normalizer(Normalizer.digitsOnly()).build();

    assertThat(foreign.token("123456789").substring(13)).isNotEqualTo(ssn.token("123456789").substring(13));
  }

  @Test
  void truncateTo_keepsPrefixOfFullToken() {
    BlindIndex shortIndex = keys.blindIndex("Patient", "ssn").normalizer(Normalizer.digitsOnly()).truncateTo(4).build();

    byte[] full = Base64.getUrlDecoder().decode(ssn.token("123456789").substring(13));
    byte[] truncated = Base64.getUrlDecoder().decode(shortIndex.token("123456789").substring(13));
    assertThat(truncated).hasSize(4).containsExactly(java.util.Arrays.copyOf(full, 4));
    assertThatThrownBy(() -> keys.blindIndex("Patient", "ssn").truncateTo(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> keys.blindIndex("Patient", "ssn").truncateTo(33)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void searchTokens_afterRotation_matchRowsIndexedUnderOldAndNewKeys() throws Exception {
    String oldToken = ssn.token("123-45-6789");
    ManagedKeyset keyset = keys.keyset(KeyPurpose.BLIND_INDEX);
    KeyId oldKey = keyset.primaryKeyId();

    keyset.rotate();
    String newToken = ssn.token("123-45-6789");

    assertThat(newToken).isNotEqualTo(oldToken);
    assertThat(ssn.searchTokens("123456789")).containsExactly(newToken, oldToken);

    keyset.disable(oldKey, ReencryptionConfirmation.confirmedByOperator(KeyPurpose.BLIND_INDEX, Set.of(oldKey),
        "test: index rebuilt"));
    assertThat(ssn.searchTokens("123456789")).containsExactly(newToken);
  }

  @Test
  void token_emptyAfterNormalization_isRefusedWithoutEchoingTheValue() {
    assertThatThrownBy(() -> ssn.token("n/a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Patient.ssn")
        .hasMessageNotContaining("n/a");
    assertThatThrownBy(() -> ssn.token(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void builder_withKeysetOfAnotherPurpose_isRefused() {
    assertThatThrownBy(() -> BlindIndex.builder(keys.keyset(KeyPurpose.FIELD_ENCRYPTION), "Patient", "ssn"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> keys.blindIndex("", "ssn")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void normalizers_behaveAsDocumented() {
    assertThat(Normalizer.caseFold().normalize("Ann@Example.ORG")).isEqualTo("ann@example.org");
    assertThat(Normalizer.caseFold().normalize("ＡＢＣ")).isEqualTo("abc");
    assertThat(Normalizer.collapseWhitespace().normalize("  Ada \t Lovelace\n")).isEqualTo("Ada Lovelace");
    assertThat(Normalizer.digitsOnly().normalize("(555) 010-9999")).isEqualTo("5550109999");
    assertThat(Normalizer.identity().normalize(" x ")).isEqualTo(" x ");
    assertThat(Normalizer.collapseWhitespace().andThen(Normalizer.caseFold()).normalize(" A  B ")).isEqualTo("a b");
  }
}
