package dev.safeguards.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets an open emergency grant reach this method when the ordinary rules deny (164.312(a)(2)(ii)); methods without it
 * are never reached through break-glass.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BreakGlassAllowed {}
