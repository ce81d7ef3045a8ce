/**
 * The entry point: {@link dev.safeguards.Safeguards} assembles every technical safeguard of 45 CFR 164.312 into one
 * object that the servlet and JAX-RS adapters register.
 */
package dev.safeguards;
