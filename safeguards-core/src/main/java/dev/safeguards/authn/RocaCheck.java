package dev.safeguards.authn;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Detects RSA moduli made by the Infineon library affected by ROCA (CVE-2017-15361), whose private keys can be
 * computed from the public key. Such a modulus N is congruent to a power of 65537 modulo M, the product of the first
 * 39, 71, 126 or 225 primes depending on the key size; so N mod p is a power of 65537 for every prime p of M. For a
 * random 2048-bit modulus the chance of passing that test by accident is below 2^-160.
 */
final class RocaCheck {

  private static final int MAX_PRIMES = 225;
  private static final int[] PRIMES = firstOddPrimes(MAX_PRIMES);
  private static final boolean[][] POWERS_OF_65537 = new boolean[PRIMES.length][];

  static {
    for (int i = 0; i < PRIMES.length; i++) {
      int p = PRIMES[i];
      boolean[] member = new boolean[p];
      int g = 65537 % p;
      int x = 1;
      do {
        member[x] = true;
        x = (x * g) % p;
      } while (x != 1);
      POWERS_OF_65537[i] = member;
    }
  }

  private RocaCheck() {}

  static boolean isVulnerable(BigInteger modulus) {
    int bits = modulus.bitLength();
    // The number of primes in M, by key size, per the ROCA paper (Nemec et al., CCS 2017); 2 is left out (N is odd).
    int count = (bits <= 960 ? 39 : bits <= 1952 ? 71 : bits <= 3936 ? 126 : 225) - 1;
    for (int i = 0; i < count; i++) {
      if (!POWERS_OF_65537[i][modulus.mod(BigInteger.valueOf(PRIMES[i])).intValue()]) {
        return false;
      }
    }
    return true;
  }

  private static int[] firstOddPrimes(int countIncludingTwo) {
    List<Integer> primes = new ArrayList<>();
    for (int k = 3; primes.size() < countIncludingTwo - 1; k += 2) {
      boolean prime = true;
      for (int q : primes) {
        if (q * q > k) {
          break;
        }
        if (k % q == 0) {
          prime = false;
          break;
        }
      }
      if (prime) {
        primes.add(k);
      }
    }
    return primes.stream().mapToInt(Integer::intValue).toArray();
  }
}
