package dev.safeguards.crypto;

import java.util.Arrays;
import java.util.Objects;

/** A signature (or MAC) and the id of the key that made it. The bytes are copied in and out. */
public final class KeyedSignature {

  private final KeyId keyId;
  private final byte[] value;

  /**
   * Creates the value.
   *
   * @param keyId the key that made the signature; not null
   * @param value the signature or MAC bytes; copied, not null
   * @throws NullPointerException if an argument is null
   */
  public KeyedSignature(KeyId keyId, byte[] value) {
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.value = value.clone();
  }

  /**
   * The key that made the signature.
   *
   * @return the key's id, as the signature names it (not proof that this key made it until it is verified)
   */
  public KeyId keyId() {
    return keyId;
  }

  /**
   * The signature bytes.
   *
   * @return a new copy of the bytes on each call
   */
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyedSignature s && keyId.equals(s.keyId) && Arrays.equals(value, s.value);
  }

  @Override
  public int hashCode() {
    return 31 * keyId.hashCode() + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "KeyedSignature[" + keyId + ", " + value.length + " bytes]";
  }
}
