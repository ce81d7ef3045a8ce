package dev.safeguards.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The reverse proxies and load balancers whose {@code Forwarded} and {@code X-Forwarded-*} headers are believed
 * (164.312(e)(1)): a list of CIDR blocks, IPv4 or IPv6. A request from any other peer has those headers ignored, so a
 * client cannot claim HTTPS, or another address, by sending them. Immutable and thread-safe.
 */
public final class TrustedProxies {

  private static final TrustedProxies NONE = new TrustedProxies(List.of());

  private record Block(byte[] network, int prefix) {}

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /**
   * No proxy is trusted: the connection alone decides the scheme and the client address.
   *
   * @return the empty list of proxies
   */
  public static TrustedProxies none() {
    return NONE;
  }

  /**
   * The trusted blocks in CIDR notation, e.g. {@code 10.0.0.0/8}, for the compliance report.
   *
   * @return an unmodifiable list in the order given, each address as {@link InetAddress#getHostAddress()} writes it
   *     and with its prefix length (32 or 128 for a single address); IPv4-mapped IPv6 addresses are listed as IPv4
   */
  public List<String> cidrs() {
    List<String> out = new ArrayList<>();
    for (Block b : blocks) {
      try {
        out.add(java.net.InetAddress.getByAddress(b.network()).getHostAddress() + "/" + b.prefix());
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException("a parsed address has a valid length", e);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Proxies in the given CIDR blocks, e.g. {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or single addresses.
   *
   * @param cidrs the blocks; none null. IPv4 is four decimal parts without leading zeros; an IPv4-mapped IPv6 address
   *     counts as IPv4 (so its prefix length is at most 32); bits past the prefix are ignored
   * @return the trusted proxies; none given trusts none
   * @throws IllegalArgumentException if a block is not an IP literal with an optional prefix length in range (host
   *     names are refused: they would need a DNS lookup)
   * @throws NullPointerException if a block is null
   */
  public static TrustedProxies of(String... cidrs) {
    List<Block> blocks = new ArrayList<>();
    for (String cidr : cidrs) {
      int slash = Objects.requireNonNull(cidr, "cidr").indexOf('/');
      byte[] address = literal(slash < 0 ? cidr : cidr.substring(0, slash));
      if (address == null) {
        throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr);
      }
      int prefix = address.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a CIDR prefix length: " + cidr);
        }
        if (prefix < 0 || prefix > address.length * 8) {
          throw new IllegalArgumentException("CIDR prefix length out of range: " + cidr);
        }
      }
      blocks.add(new Block(address, prefix));
    }
    return new TrustedProxies(blocks);
  }

  /**
   * Whether the peer at {@code address} (an IP literal) is a trusted proxy; false for anything unparseable.
   *
   * @param address an IPv4 or IPv6 literal, brackets and zone allowed, never resolved by DNS; null gives false
   * @return true if it lies in one of the blocks
   */
  public boolean trusts(String address) {
    return !blocks.isEmpty() && address != null && trustsAddress(literal(address));
  }

  /** Whether no proxy is trusted, so that no peer address needs parsing for it. */
  boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** Whether the peer at {@code a} (from {@link #literal}; null when unparseable) is a trusted proxy. */
  boolean trustsAddress(byte[] a) {
    if (a == null) {
      return false;
    }
    for (Block b : blocks) {
      if (matches(b, a)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(Block b, byte[] a) {
    byte[] n = b.network();
    if (n.length != a.length) {
      return false;
    }
    int full = b.prefix() / 8;
    if (!Arrays.equals(n, 0, full, a, 0, full)) {
      return false;
    }
    int rest = b.prefix() % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (n[full] & mask) == (a[full] & mask);
  }

  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  /**
   * The bytes of an IPv4 or IPv6 literal (brackets and a zone allowed), or null; never a DNS lookup. IPv4 is four
   * decimal parts of at most 255 without leading zeros (which some parsers read as octal).
   */
  static byte[] literal(String text) {
    String s = text.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    if (s.indexOf(':') < 0) {
      return ipv4(s);
    }
    // InetAddress reads a string as a literal (and never looks it up by name) only when it starts with a hex digit or
    // a colon: ".:1" would go to the resolver.
    if (!IPV6_CHARS.matcher(s).matches() || Character.digit(s.charAt(0), 16) < 0 && s.charAt(0) != ':') {
      return null;
    }
    try {
      byte[] bytes = InetAddress.getByName(s).getAddress(); // an IPv6 literal: no lookup
      if (bytes.length == 16 && isMappedV4(bytes)) {
        return Arrays.copyOfRange(bytes, 12, 16);
      }
      return bytes;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Dotted-quad IPv4, parsed by hand (this runs on every request); null if {@code s} is not one. */
  private static byte[] ipv4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return null; // a leading zero
        }
        value = value * 10 + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else if (c == '.' && digits > 0 && part < 4) {
        out[part++] = (byte) value;
        value = 0;
        digits = 0;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static boolean isMappedV4(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }
}
