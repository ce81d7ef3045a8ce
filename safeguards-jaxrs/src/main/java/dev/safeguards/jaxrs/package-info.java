/**
 * The Jakarta RESTful Web Services 3.1 adapter: {@link dev.safeguards.jaxrs.SafeguardsFeature} runs every request of a
 * JAX-RS application (Jersey, RESTEasy) through the Safeguards gate (45 CFR 164.312).
 */
package dev.safeguards.jaxrs;
