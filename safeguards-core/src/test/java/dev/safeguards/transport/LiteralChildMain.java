package dev.safeguards.transport;

import java.net.InetAddress;

/**
 * Run in a child JVM by {@link TrustedProxiesLookupTest}: prints what {@link TrustedProxies#literal} makes of each
 * argument, and whether a proxy list of {@code 10.0.0.0/8} trusts it.
 */
public final class LiteralChildMain {

  private LiteralChildMain() {}

  public static void main(String[] args) throws Exception {
    TrustedProxies tenNet = TrustedProxies.of("10.0.0.0/8");
    for (String arg : args) {
      byte[] bytes = TrustedProxies.literal(arg);
      System.out.println(arg + " -> " + (bytes == null ? "null" : InetAddress.getByAddress(bytes).getHostAddress())
          + " trusted=" + tenNet.trusts(arg));
    }
  }
}
