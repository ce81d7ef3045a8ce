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

  /**
   * The resource type, e.g. {@code Patient}.
   *
   * @return the type, as resource rules and audit events name it
   */
  String type();

  /**
   * The path parameter holding the resource id.
   *
   * @return the name of a parameter of the method's path template, e.g. {@code id} for {@code /patients/{id}}
   */
  String idParam();

  /**
   * Whether the id must be a UUID; a request with another id is refused with 400 before any lookup.
   *
   * @return true to require a UUID (compared in lower case); false, the default, accepts any identifier
   */
  boolean uuid() default false;
}
