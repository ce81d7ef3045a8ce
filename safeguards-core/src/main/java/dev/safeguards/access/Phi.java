package dev.safeguards.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field, record component or getter as PHI of a category, e.g. {@code @Phi(category = PhiCategory.CLINICAL)}
 * (164.514). {@link FieldClassification#fromAnnotations} reads it; fields of that class without it are not PHI.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.RECORD_COMPONENT})
public @interface Phi {

  /**
   * What kind of PHI the field holds.
   *
   * @return the category
   */
  PhiCategory category();
}
