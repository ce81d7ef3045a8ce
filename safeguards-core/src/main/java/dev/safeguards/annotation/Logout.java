package dev.safeguards.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a resource method the logout endpoint: the gate authenticates the caller, ends the session and answers 204
 * itself; the method is never invoked (164.312(a)(2)(iii)).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Logout {}
