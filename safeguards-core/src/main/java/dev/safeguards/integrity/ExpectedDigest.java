package dev.safeguards.integrity;

import java.security.MessageDigest;

/**
 * The digest a message claims in its {@code Content-Digest} or {@code Repr-Digest} field, reduced to the strongest
 * algorithm Safeguards accepts. Obtain one with {@link DigestFields#parse}; check content against it with
 * {@link #verify(byte[])} or, for content of any size, a {@link #newCalculator()} fed piece by piece.
 */
public final class ExpectedDigest {

  private final String fieldName;
  private final DigestAlgorithm algorithm;
  private final byte[] value;

  ExpectedDigest(String fieldName, DigestAlgorithm algorithm, byte[] value) {
    this.fieldName = fieldName;
    this.algorithm = algorithm;
    this.value = value.clone();
  }

  /**
   * The algorithm that will be checked.
   *
   * @return the strongest accepted algorithm the field offered
   */
  public DigestAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * A calculator for this digest's algorithm, to feed the content into.
   *
   * @return a new calculator computing {@link #algorithm()} only
   */
  public DigestCalculator newCalculator() {
    return new DigestCalculator(algorithm);
  }

  /**
   * Checks content held in memory. The digests are compared in constant time.
   *
   * @param content the whole content the field describes; not null
   * @throws NullPointerException if {@code content} is null
   * @throws IntegrityException ({@link IntegrityException.Reason#DIGEST_MISMATCH}) if it does not match
   */
  public void verify(byte[] content) throws IntegrityException {
    verify(newCalculator().update(content));
  }

  /**
   * Checks content fed into {@code calculator}, which must compute this digest's algorithm; finishes it. The digests
   * are compared in constant time.
   *
   * @param calculator a calculator that was fed the whole content; no more content can be fed to it afterwards
   * @throws NullPointerException if {@code calculator} is null
   * @throws IllegalArgumentException if {@code calculator} does not compute this digest's algorithm
   * @throws IntegrityException ({@link IntegrityException.Reason#DIGEST_MISMATCH}) if it does not match
   */
  public void verify(DigestCalculator calculator) throws IntegrityException {
    if (!MessageDigest.isEqual(value, calculator.digest(algorithm))) {
      throw new IntegrityException(IntegrityException.Reason.DIGEST_MISMATCH,
          "the content does not match its " + fieldName + " (" + algorithm.key() + ")");
    }
  }

  @Override
  public String toString() {
    return "ExpectedDigest[" + fieldName + ", " + algorithm.key() + "]";
  }
}
