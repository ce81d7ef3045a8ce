/**
 * Access annotations for handler methods, read by every framework adapter at start-up (164.312(a)(1)): {@link
 * dev.safeguards.annotation.RequiresPermission}, {@link dev.safeguards.annotation.AuditedResource}, {@link
 * dev.safeguards.annotation.BreakGlassAllowed} and {@link dev.safeguards.annotation.Logout}, beside Jakarta's {@code
 * @RolesAllowed}, {@code @PermitAll} and {@code @DenyAll}. {@link dev.safeguards.annotation.AnnotatedRoutes} turns a
 * method's annotations into its gate {@link dev.safeguards.gate.Route}, the same way for JAX-RS and Spring MVC.
 */
package dev.safeguards.annotation;
