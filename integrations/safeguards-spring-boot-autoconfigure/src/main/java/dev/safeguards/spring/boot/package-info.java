/**
 * Spring Boot auto-configuration for Safeguards: {@link dev.safeguards.spring.boot.SafeguardsAutoConfiguration}
 * assembles {@code Safeguards} from {@code safeguards.*} properties, and {@link
 * dev.safeguards.spring.boot.SafeguardsWebMvcAutoConfiguration} puts its gate in front of every Spring MVC request with
 * routes from the handler methods' annotations.
 */
package dev.safeguards.spring.boot;
