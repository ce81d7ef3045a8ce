package dev.safeguards.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the resource a method acts on, from a path parameter, for resource-level access rules and the audit log, e.g.
 * {@code @AuditedResource(type = "Patient", idParam = "id")} (164.312(a)(1), (b)).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AuditedResource {

  /** The resource type, e.g. {@code Patient}. */
  String type();

  /** The path parameter holding the resource id. */
  String idParam();

  /** Whether the id must be a UUID; a request with another id is refused with 400 before any lookup. */
  boolean uuid() default false;
}
