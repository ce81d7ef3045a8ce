package dev.safeguards.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field or record component as PHI of a category, e.g. {@code @Phi(category = PhiCategory.CLINICAL)}
 * (164.514). {@link FieldClassification#fromAnnotations} reads it; fields of that class without it are not PHI. It
 * cannot be put on a method: a getter's mark would not be read, and its field would count as not PHI, so the compiler
 * refuses it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface Phi {

  /**
   * What kind of PHI the field holds.
   *
   * @return the category
   */
  PhiCategory category();
}
