package dev.safeguards.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.authn.TotpVerifier.Algorithm;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * RFC 6238 Appendix B and RFC 4226 Appendix D (src/test/resources/vectors/rfc6238-totp-and-rfc4226-hotp.txt), with the
 * per-mode seeds of RFC 6238's reference code: 20 bytes for SHA-1, 32 for SHA-256, 64 for SHA-512.
 */
class TotpVerifierTest {

  private static final byte[] SEED20 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEED32 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEED64 =
      "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

  private static TotpVerifier verifier(Algorithm algorithm, int digits, Clock clock) {
    return TotpVerifier.builder(TotpReplayGuard.inMemory(100)).algorithm(algorithm).digits(digits).clock(clock).build();
  }

  private static Clock at(long epochSecond) {
    return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }

  @Test
  void rfc6238AppendixB_everyRow() throws Exception {
    String text;
    try (InputStream in = getClass().getResourceAsStream("/vectors/rfc6238-totp-and-rfc4226-hotp.txt")) {
      text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    Matcher row = Pattern.compile("\\|\\s+(\\d+)\\s+\\|\\s+[\\d-]+\\s+\\|\\s+[0-9A-F]{16}\\s+\\|\\s+(\\d{8})\\s+\\|\\s+(SHA\\d+)\\s+\\|")
        .matcher(text);
    int rows = 0;
    while (row.find()) {
      long time = Long.parseLong(row.group(1));
      String expected = row.group(2);
      Algorithm algorithm = Algorithm.valueOf(row.group(3));
      byte[] seed = algorithm == Algorithm.SHA1 ? SEED20 : algorithm == Algorithm.SHA256 ? SEED32 : SEED64;
      TotpVerifier v = verifier(algorithm, 8, at(time));

      assertThat(v.codeAt(seed, Instant.ofEpochSecond(time))).as("%s at %d", algorithm, time).isEqualTo(expected);
      v.verify("alice", seed, expected);
      rows++;
    }
    assertThat(rows).isEqualTo(18);
  }

  @Test
  void rfc4226AppendixD_hotpValues() {
    String[] expected = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
        "520489"};
    TotpVerifier v = verifier(Algorithm.SHA1, 6, at(0));
    for (int count = 0; count < expected.length; count++) {
      assertThat(v.code(SEED20, count)).isEqualTo(expected[count]);
    }
  }

  @Test
  void verify_acceptsOneStepOfDrift_butNotTwo() throws Exception {
    long t = 1_800_000_000L;
    TotpVerifier v = verifier(Algorithm.SHA1, 6, at(t));
    v.verify("a", SEED20, v.codeAt(SEED20, Instant.ofEpochSecond(t - 30)));
    v.verify("b", SEED20, v.codeAt(SEED20, Instant.ofEpochSecond(t + 30)));
    assertThatThrownBy(() -> v.verify("c", SEED20, v.codeAt(SEED20, Instant.ofEpochSecond(t - 60))))
        .isInstanceOf(AuthenticationException.class);
    assertThatThrownBy(() -> v.verify("d", SEED20, v.codeAt(SEED20, Instant.ofEpochSecond(t + 60))))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void verify_sameCodeTwice_orAnOlderOne_isRefused() throws Exception {
    long t = 1_800_000_000L;
    TotpVerifier v = verifier(Algorithm.SHA1, 6, at(t));
    String current = v.codeAt(SEED20, Instant.ofEpochSecond(t));
    v.verify("alice", SEED20, current);

    assertThatThrownBy(() -> v.verify("alice", SEED20, current))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("already used")
        .hasMessageNotContaining(current);
    assertThatThrownBy(() -> v.verify("alice", SEED20, v.codeAt(SEED20, Instant.ofEpochSecond(t - 30))))
        .isInstanceOf(AuthenticationException.class);
    v.verify("bob", SEED20, current); // another account is independent
  }

  @Test
  void verify_wrongOrMalformedCodes_areRefusedWithoutEcho() {
    TotpVerifier v = verifier(Algorithm.SHA1, 6, at(1_800_000_000L));
    for (String bad : new String[] {"000000", "12345", "1234567", "12a456", "", " 12345", "１２３４５６"}) {
      assertThatThrownBy(() -> v.verify("alice", SEED20, bad))
          .isInstanceOf(AuthenticationException.class)
          .extracting(e -> ((AuthenticationException) e).reason())
          .isEqualTo(AuthenticationException.Reason.INVALID_CREDENTIALS);
    }
    assertThatThrownBy(() -> v.verify("alice", SEED20, null)).isInstanceOf(AuthenticationException.class);
  }

  @Test
  void enrollment_newSecretAndOtpauthUri() {
    TotpVerifier v = verifier(Algorithm.SHA1, 6, at(0));
    byte[] secret = v.newSecret();
    assertThat(secret).hasSize(20);
    assertThat(TotpVerifier.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    assertThat(TotpVerifier.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
    assertThat(v.enrollmentUri("Clinic API", "ada@example.org", "12345678901234567890".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("otpauth://totp/Clinic%20API:ada%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "&issuer=Clinic%20API&algorithm=SHA1&digits=6&period=30");
  }

  @Test
  void builder_refusesOddSettings() {
    assertThatThrownBy(() -> TotpVerifier.builder(TotpReplayGuard.inMemory(1)).digits(7))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TotpVerifier.builder(TotpReplayGuard.inMemory(1)).step(java.time.Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
