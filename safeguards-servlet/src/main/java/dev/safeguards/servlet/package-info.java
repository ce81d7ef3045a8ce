/**
 * The Jakarta Servlet 6 adapter: {@link dev.safeguards.servlet.SafeguardsFilter} runs every request through the
 * Safeguards gate (45 CFR 164.312).
 */
package dev.safeguards.servlet;
