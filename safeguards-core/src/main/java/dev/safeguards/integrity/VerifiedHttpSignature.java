package dev.safeguards.integrity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A signature that {@link HttpMessageVerifier} verified and found within its policy: proof of which key signed which
 * components, and when. Only the verifier makes these.
 *
 * @param label the signature's label
 * @param keyId the key that signed
 * @param algorithm the algorithm of that key
 * @param components the covered components, in order
 * @param created when the signer says it signed
 * @param expires when the signature expires, if it says
 * @param nonce its nonce, if any (already recorded as used)
 * @param tag its application tag, if any
 */
public record VerifiedHttpSignature(
    String label,
    String keyId,
    HttpSignatureAlgorithm algorithm,
    List<SignatureComponent> components,
    Instant created,
    Optional<Instant> expires,
    Optional<String> nonce,
    Optional<String> tag) {

  /**
   * Checks every component. The constructor is public, as a record's must be: a value made elsewhere proves nothing,
   * so trust only those {@link HttpMessageVerifier} returns.
   *
   * @param label the signature's label; not null
   * @param keyId the key that signed; not null
   * @param algorithm the algorithm of that key; not null
   * @param components the covered components, in order; copied, none null
   * @param created when the signer says it signed; not null
   * @param expires when the signature expires; empty if it does not say, not null
   * @param nonce its nonce; empty if none, not null
   * @param tag its application tag; empty if none, not null
   * @throws NullPointerException if a component, or a covered component, is null
   */
  public VerifiedHttpSignature {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(algorithm, "algorithm");
    components = List.copyOf(components);
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(tag, "tag");
  }
}
