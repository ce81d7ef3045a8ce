package dev.safeguards.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.safeguards.http.HttpRequestView;
import dev.safeguards.integrity.IntegrityException.Reason;
import dev.safeguards.integrity.internal.StructuredFields;
import dev.safeguards.testing.TestKeyPairs;
import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Components built through the public factory methods are exactly those the verifier's parser accepts. */
class SignatureComponentTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
  private static final KeyPair ED25519 = TestKeyPairs.ed25519();

  /** One parameter a caller can add, with its serialization in a Signature-Input. */
  private record Modifier(String wire, UnaryOperator<SignatureComponent> apply) {}

  private static final List<Modifier> MODIFIERS = List.of(
      new Modifier(";sf", SignatureComponent::sf),
      new Modifier(";key=\"k-secret\"", c -> c.key("k-secret")),
      new Modifier(";bs", SignatureComponent::bs),
      new Modifier(";req", SignatureComponent::req));

  private static List<SignatureComponent> bases() {
    return List.of(SignatureComponent.METHOD, SignatureComponent.TARGET_URI, SignatureComponent.AUTHORITY,
        SignatureComponent.SCHEME, SignatureComponent.REQUEST_TARGET, SignatureComponent.PATH,
        SignatureComponent.QUERY, SignatureComponent.STATUS, SignatureComponent.queryParam("a"),
        SignatureComponent.field("content-digest"), SignatureComponent.field("x-trace"));
  }

  /** Every ordered selection of distinct modifiers: the empty one, single ones, pairs, triples and all four. */
  private static List<List<Modifier>> sequences() {
    List<List<Modifier>> out = new ArrayList<>();
    extend(new ArrayList<>(), out);
    return out;
  }

  private static void extend(List<Modifier> prefix, List<List<Modifier>> out) {
    out.add(List.copyOf(prefix));
    for (Modifier m : MODIFIERS) {
      if (!prefix.contains(m)) {
        prefix.add(m);
        extend(prefix, out);
        prefix.remove(prefix.size() - 1);
      }
    }
  }

  @Test
  void factoryMethods_everyParameterCombination_refuseExactlyWhatTheVerifierRefuses() throws Exception {
    int accepted = 0;
    int refused = 0;
    for (SignatureComponent base : bases()) {
      for (List<Modifier> sequence : sequences()) {
        StringBuilder wire = new StringBuilder(base.toString());
        sequence.forEach(m -> wire.append(m.wire()));
        boolean verifierAccepts;
        try {
          SignatureComponent.fromIdentifier(StructuredFields.parseItem(List.of(wire.toString())));
          verifierAccepts = true;
        } catch (IntegrityException e) {
          assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
          verifierAccepts = false;
        }
        SignatureComponent built = base;
        try {
          for (Modifier m : sequence) {
            built = m.apply().apply(built);
          }
        } catch (IllegalArgumentException e) {
          if (verifierAccepts) {
            fail("the factory refused " + wire + ", which the verifier accepts", e);
          }
          assertThat(e.getMessage()).contains(base.name()).doesNotContain("k-secret");
          refused++;
          continue;
        }
        if (!verifierAccepts) {
          fail("the factory built " + wire + ", which the verifier refuses as malformed");
        }
        assertThat(built.toString()).isEqualTo(wire.toString());
        accepted++;
      }
    }
    assertThat(accepted).isPositive();
    assertThat(refused).isPositive();
  }

  @Test
  void bs_onDerivedComponent_isRefusedBeforeItCanBeSigned() {
    assertThatThrownBy(SignatureComponent.METHOD::bs).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@method");
    assertThatThrownBy(() -> SignatureComponent.queryParam("a").sf()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@query-param");
    assertThatThrownBy(() -> SignatureComponent.field("content-digest").key("sha-256").bs())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("content-digest")
        .hasMessageNotContaining("sha-256");
  }

  @Test
  void signThenVerify_everyComponentTheFactoryBuilds_isNotMalformed() throws Exception {
    HttpSigningKey key = HttpSigningKey.of("ed", HttpSignatureAlgorithm.ED25519, ED25519.getPrivate());
    HttpMessageVerifier verifier = HttpMessageVerifier.builder(HttpVerificationKeys.of(
        HttpVerificationKey.of("ed", HttpSignatureAlgorithm.ED25519, ED25519.getPublic())))
        .clock(CLOCK).requireComponents().build();
    List<SignatureComponent> components = List.of(SignatureComponent.METHOD, SignatureComponent.PATH,
        SignatureComponent.queryParam("a"), SignatureComponent.field("x-trace").bs(),
        SignatureComponent.field("content-digest").sf(), SignatureComponent.field("content-digest").key("sha-256"),
        SignatureComponent.field("content-digest").sf().key("sha-256"));
    String digest = "sha-256=:" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + ":";
    HttpRequestView.Builder request = HttpRequestView.builder("GET", URI.create("https://api.example.org/p?a=1"))
        .field("X-Trace", "t-1").field("Content-Digest", digest);
    for (SignatureComponent c : components) {
      SignatureFields f = HttpMessageSigner.builder(key).components(c).clock(CLOCK).build().sign(request.build());
      HttpRequestView signed = HttpRequestView.builder("GET", URI.create("https://api.example.org/p?a=1"))
          .field("X-Trace", "t-1").field("Content-Digest", digest)
          .field("Signature-Input", f.signatureInput()).field("Signature", f.signature()).build();
      assertThat(verifier.verify(signed).components()).containsExactly(c);
    }
  }
}
