package dev.safeguards.integrity;

import java.util.Objects;

/**
 * The two header fields that carry one RFC 9421 signature. Add {@link #signatureInput()} as a {@code Signature-Input}
 * field line and {@link #signature()} as a {@code Signature} field line (or append each to an existing field with
 * {@code ", "}).
 *
 * @param label the signature's label, e.g. {@code sig1}
 * @param signatureInput the {@code Signature-Input} dictionary member, e.g. {@code sig1=("@method");created=1618884473}
 * @param signature the {@code Signature} dictionary member, e.g. {@code sig1=:base64:}
 */
public record SignatureFields(String label, String signatureInput, String signature) {

  /** Field name of the signature metadata. */
  public static final String SIGNATURE_INPUT = "Signature-Input";
  /** Field name of the signature value. */
  public static final String SIGNATURE = "Signature";

  /**
   * Checks every component.
   *
   * @param label the signature's label; not null
   * @param signatureInput the {@code Signature-Input} dictionary member; not null
   * @param signature the {@code Signature} dictionary member; not null
   * @throws NullPointerException if a component is null
   */
  public SignatureFields {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(signatureInput, "signatureInput");
    Objects.requireNonNull(signature, "signature");
  }
}
