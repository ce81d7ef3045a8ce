package dev.safeguards.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Encrypts and decrypts large objects (scanned documents, images, exports) as streams, in bounded memory whatever their
 * size, with AES-256-GCM-HKDF in 1 MiB segments, bound to a {@link FieldContext} (164.312(a)(2)(iv)).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Memory stays at about two segments (2 MiB) per open stream, for any object size.
 *   <li>Each segment is authenticated before any of its plaintext is released; reordering, truncating or extending a
 *       ciphertext is detected, at the latest when the end of the stream is read.
 *   <li>A ciphertext starts with an 8-byte header naming its key (docs/encryption.md), so rotation keeps old objects
 *       readable and a disabled or unknown key is reported before any data is read.
 * </ul>
 *
 * <p>Because segments are released as soon as they are authenticated, a reader of a damaged ciphertext may have
 * received the authentic segments before the damage when the error is thrown. Where a consumer must see all or
 * nothing, decrypt into a temporary file and move it into place only on success, as {@link SealedArchive} does.
 *
 * <p>Instances are thread-safe and follow the keyset's rotations at once.
 */
public interface StreamingCipher {

  /**
   * Creates a cipher over a {@link KeyPurpose#STREAMING_ENCRYPTION} keyset.
   *
   * @param keyset the keyset whose primary key encrypts and whose enabled keys decrypt; its later changes apply at
   *     once; not null
   * @return the cipher
   * @throws NullPointerException if {@code keyset} is null
   * @throws IllegalArgumentException if the keyset has another purpose
   */
  static StreamingCipher create(ManagedKeyset keyset) {
    return new TinkStreamingCipher(keyset);
  }

  /**
   * Returns a stream that encrypts what is written to it into {@code ciphertext} under the primary key. Closing it
   * writes the final segment and closes {@code ciphertext}; a ciphertext whose stream was not closed is incomplete and
   * will not decrypt.
   *
   * @param ciphertext where the ciphertext goes; the header is written to it at once; not null
   * @param context where the object belongs, bound to every segment as associated data; not null
   * @return the stream to write the plaintext to; not thread-safe
   * @throws NullPointerException if an argument is null
   * @throws IOException if writing the header to {@code ciphertext} fails
   */
  OutputStream newEncryptingStream(OutputStream ciphertext, FieldContext context) throws IOException;

  /**
   * Reads the header of {@code ciphertext} and returns a stream of its plaintext. Reads from the returned stream throw
   * an {@link IOException} whose cause is a {@link CiphertextIntegrityException} when authentication fails.
   *
   * @param ciphertext the ciphertext, read from its header on; closing the returned stream closes it; not null
   * @param context the context the object was encrypted for; not null
   * @return the stream of the plaintext, which releases each segment once it is authenticated; not thread-safe
   * @throws NullPointerException if an argument is null
   * @throws IOException if reading the header from {@code ciphertext} fails
   * @throws MalformedCiphertextException if the header is missing or is not ours
   * @throws UnknownKeyException if the header names a key that is not in the keyset or is disabled
   */
  InputStream newDecryptingStream(InputStream ciphertext, FieldContext context) throws IOException, DecryptionException;

  /**
   * Encrypts all of {@code plaintext} into {@code ciphertext}, then closes {@code ciphertext}.
   *
   * @param plaintext read to its end, not closed; not null
   * @param ciphertext receives the whole ciphertext and is closed; not null
   * @param context where the object belongs, bound as associated data; not null
   * @return the number of plaintext bytes encrypted
   * @throws NullPointerException if an argument is null
   * @throws IOException if reading {@code plaintext} or writing {@code ciphertext} fails; the ciphertext is then
   *     incomplete
   */
  long encrypt(InputStream plaintext, OutputStream ciphertext, FieldContext context) throws IOException;

  /**
   * Decrypts all of {@code ciphertext} into {@code plaintext} (which is not closed).
   *
   * @param ciphertext read to its end and closed, unless its header is refused; not null
   * @param plaintext receives the plaintext, segment by segment; not closed, not null
   * @param context the context the object was encrypted for; not null
   * @return the number of plaintext bytes written
   * @throws NullPointerException if an argument is null
   * @throws IOException if reading {@code ciphertext} or writing {@code plaintext} fails
   * @throws MalformedCiphertextException if the header is missing or is not ours
   * @throws UnknownKeyException if its key is not in the keyset or is disabled
   * @throws CiphertextIntegrityException if authentication fails (see the class comment about partial output)
   */
  long decrypt(InputStream ciphertext, OutputStream plaintext, FieldContext context)
      throws IOException, DecryptionException;
}
