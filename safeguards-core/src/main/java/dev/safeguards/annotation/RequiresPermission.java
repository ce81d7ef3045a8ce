package dev.safeguards.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission ({@code resource:action}, e.g. {@code patient:read}) a resource method requires; on a class, the
 * default for its methods (164.312(a)(1)).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresPermission {

  /**
   * The permission.
   *
   * @return {@code resource:action} in lower case, e.g. {@code patient:read}; anything else fails when the routes are
   *     derived
   */
  String value();
}
