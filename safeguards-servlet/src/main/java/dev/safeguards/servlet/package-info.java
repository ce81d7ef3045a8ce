/**
 * Jakarta Servlet adapter: a {@code Filter} that translates each servlet request and response to the neutral types of
 * {@code dev.safeguards.http} and delegates every decision to the gate in safeguards-core.
 *
 * <p>The adapter holds no security logic of its own; it arrives with the request gate (164.312 (e)(2)(ii) and the
 * whole pipeline). The container API ({@code jakarta.servlet-api} 6.0) is a {@code provided} dependency.
 */
package dev.safeguards.servlet;
