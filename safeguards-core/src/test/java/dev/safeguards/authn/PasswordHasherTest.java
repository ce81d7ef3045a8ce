package dev.safeguards.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  private static final PasswordHasher HASHER = PasswordHasher.pbkdf2();

  @Test
  void hashThenVerify_matchesOnlyTheSamePassword_inPhcFormat() {
    String stored = HASHER.hash("correct horse battery staple".toCharArray());

    assertThat(stored).matches("\\$pbkdf2-sha256\\$i=600000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(HASHER.verify("correct horse battery staple".toCharArray(), stored)).isEqualTo(new PasswordHasher.Check(true, false));
    assertThat(HASHER.verify("correct horse battery stapler".toCharArray(), stored).matches()).isFalse();
    assertThat(HASHER.hash("correct horse battery staple".toCharArray())).isNotEqualTo(stored); // fresh salt
  }

  @Test
  void verify_isTheStandardPbkdf2_soOtherToolsCanCheckIt() throws Exception {
    String stored = HASHER.hash("pässwörd".toCharArray());
    String[] parts = stored.split("\\$");
    byte[] salt = Base64.getDecoder().decode(parts[3]);
    byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec("pässwörd".toCharArray(), salt, 600_000, 256)).getEncoded();
    assertThat(Base64.getDecoder().decode(parts[4])).isEqualTo(expected);
  }

  @Test
  void verify_weakerStoredHash_matchesAndAsksForARehash() throws Exception {
    // A hash made earlier at a lower cost (as an older deployment would have stored it).
    byte[] salt = new byte[16];
    byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec("secret".toCharArray(), salt, 310_000, 256)).getEncoded();
    String old = "$pbkdf2-sha256$i=310000$" + Base64.getEncoder().withoutPadding().encodeToString(salt) + "$"
        + Base64.getEncoder().withoutPadding().encodeToString(hash);

    assertThat(HASHER.verify("secret".toCharArray(), old)).isEqualTo(new PasswordHasher.Check(true, true));
  }

  @Test
  void verify_malformedStoredHashes_neverMatch() {
    for (String bad : new String[] {"", "plaintext", "$pbkdf2-sha256$i=600000$$", "$bcrypt$x$y$z",
        "$pbkdf2-sha256$i=abc$AAAA$AAAA", "$pbkdf2-sha256$i=600000$%%$AAAA", "$pbkdf2-sha256$i=0$AAAAAAAAAAA$AAAA"}) {
      assertThat(HASHER.verify("x".toCharArray(), bad).matches()).as(bad).isFalse();
    }
  }

  @Test
  void hash_refusesEmptyOrHugePasswords_andWeakCosts() {
    assertThatThrownBy(() -> HASHER.hash(new char[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HASHER.hash(new char[1025])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PasswordHasher.pbkdf2(100_000)).isInstanceOf(IllegalArgumentException.class);
    assertThat(HASHER.toString()).contains("600000").doesNotContain("$");
  }
}
