package dev.safeguards.authn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The token parts' base64url check, against its definition: the string decodes and encodes back to itself. */
class CanonicalBase64UrlTest {

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private static boolean byDefinition(String part) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Base64.getUrlDecoder().decode(part)).equals(part);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Test
  void agreesWithDecodeAndEncodeAgain_onRandomStringsOfEveryLength() {
    Random random = new Random(20261202);
    for (int n = 0; n < 200_000; n++) {
      int length = random.nextInt(12);
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < length; i++) {
        s.append(random.nextInt(50) == 0 ? "=+/ .é".charAt(random.nextInt(6)) : ALPHABET.charAt(random.nextInt(64)));
      }
      String part = s.toString();
      assertThat(JjwtTokenVerifier.isCanonicalBase64Url(part)).as(part).isEqualTo(byDefinition(part));
    }
  }

  @Test
  void refusesStrayBitsPaddingAndTheStandardAlphabet() {
    assertThat(JjwtTokenVerifier.isCanonicalBase64Url("eyJhbGciOiJIUzI1NiJ9")).isTrue();
    assertThat(JjwtTokenVerifier.isCanonicalBase64Url("QQ")).isTrue(); // "A"
    assertThat(JjwtTokenVerifier.isCanonicalBase64Url("QR")).as("stray bits after one byte").isFalse();
    assertThat(JjwtTokenVerifier.isCanonicalBase64Url("QUI")).isTrue(); // "AB"
    assertThat(JjwtTokenVerifier.isCanonicalBase64Url("QUJ")).as("stray bits after two bytes").isFalse();
    assertThat(JjwtTokenVerifier.isCanonicalBase64Url("QQ==")).as("padding").isFalse();
    assertThat(JjwtTokenVerifier.isCanonicalBase64Url("Q")).as("a lone character").isFalse();
    assertThat(JjwtTokenVerifier.isCanonicalBase64Url("+/8A")).as("standard alphabet").isFalse();
    assertThat(JjwtTokenVerifier.isCanonicalBase64Url("")).isTrue();
  }
}
