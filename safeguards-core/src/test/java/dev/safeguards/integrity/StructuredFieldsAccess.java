package dev.safeguards.integrity;

import dev.safeguards.integrity.internal.StructuredFields;
import dev.safeguards.integrity.internal.StructuredFields.InnerList;
import java.util.List;

/** Test helper: the inner list of one label in a Signature-Input value. */
final class StructuredFieldsAccess {

  private StructuredFieldsAccess() {}

  static InnerList innerList(String signatureInput, String label) throws Exception {
    return (InnerList) StructuredFields.parseDictionary(List.of(signatureInput)).get(label);
  }
}
