package dev.safeguards.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@link StreamingCipher} over a Tink AES256_GCM_HKDF_1MB keyset. A ciphertext is the 4 ASCII bytes {@code SGS1}, the
 * key id (4 bytes, big-endian), then Tink's streaming ciphertext under that one key.
 */
final class TinkStreamingCipher implements StreamingCipher {

  static final String DOMAIN = "safeguards/stream/v1";
  static final byte[] MAGIC = {'S', 'G', 'S', '1'};
  static final int HEADER_LENGTH = 8;

  private static final int BUFFER = 64 * 1024;

  private final ManagedKeyset keyset;

  TinkStreamingCipher(ManagedKeyset keyset) {
    Objects.requireNonNull(keyset, "keyset");
    if (keyset.purpose() != KeyPurpose.STREAMING_ENCRYPTION) {
      throw new IllegalArgumentException("a StreamingCipher needs a streaming-encryption keyset, not "
          + keyset.purpose());
    }
    this.keyset = keyset;
  }

  @Override
  public OutputStream newEncryptingStream(OutputStream ciphertext, FieldContext context) throws IOException {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(context, "context");
    ManagedKeyset.Snapshot snapshot = keyset.snapshot();
    KeyId primary = snapshot.primary();
    ciphertext.write(MAGIC);
    ciphertext.write(ByteBuffer.allocate(4).putInt(primary.value()).array());
    try {
      return primitives(snapshot).get(primary).newEncryptingStream(ciphertext, context.associatedData(DOMAIN));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("streaming encryption failed to start for " + context, e);
    }
  }

  @Override
  public InputStream newDecryptingStream(InputStream ciphertext, FieldContext context)
      throws IOException, DecryptionException {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(context, "context");
    byte[] header = ciphertext.readNBytes(HEADER_LENGTH);
    if (header.length < HEADER_LENGTH || !ByteBuffer.wrap(header, 0, 4).equals(ByteBuffer.wrap(MAGIC))) {
      throw new MalformedCiphertextException("the object " + context + " is not a streaming ciphertext of ours");
    }
    KeyId keyId = new KeyId(ByteBuffer.wrap(header, 4, 4).getInt());
    ManagedKeyset.Snapshot snapshot = keyset.snapshot();
    KeyInfo key = snapshot.find(keyId).orElseThrow(() -> new UnknownKeyException(
        "the object " + context + " is under key " + keyId + ", which is not in the streaming-encryption keyset"));
    StreamingAead aead = primitives(snapshot).get(keyId);
    if (aead == null) {
      throw new UnknownKeyException("the object " + context + " is under key " + keyId + ", which is "
          + key.status().fileName());
    }
    SourceStream source = new SourceStream(ciphertext);
    try {
      return new AuthenticatingStream(aead.newDecryptingStream(source, context.associatedData(DOMAIN)), source, context);
    } catch (GeneralSecurityException e) {
      throw new CiphertextIntegrityException("the object " + context + " failed authentication");
    }
  }

  @Override
  public long encrypt(InputStream plaintext, OutputStream ciphertext, FieldContext context) throws IOException {
    Objects.requireNonNull(plaintext, "plaintext");
    try (OutputStream out = newEncryptingStream(ciphertext, context)) {
      return plaintext.transferTo(out);
    }
  }

  @Override
  public long decrypt(InputStream ciphertext, OutputStream plaintext, FieldContext context)
      throws IOException, DecryptionException {
    Objects.requireNonNull(plaintext, "plaintext");
    try (InputStream in = newDecryptingStream(ciphertext, context)) {
      byte[] buffer = new byte[BUFFER];
      long total = 0;
      for (int n; (n = in.read(buffer)) != -1; ) {
        plaintext.write(buffer, 0, n);
        total += n;
      }
      return total;
    } catch (IOException e) {
      if (e.getCause() instanceof CiphertextIntegrityException integrity) {
        throw integrity;
      }
      throw e;
    }
  }

  /** One single-key primitive per enabled key, built once per keyset state. */
  private static Map<KeyId, StreamingAead> primitives(ManagedKeyset.Snapshot snapshot) {
    return snapshot.cached(TinkStreamingCipher.class, s -> {
      Map<KeyId, StreamingAead> byKey = new HashMap<>();
      KeysetHandle handle = s.handle();
      for (int i = 0; i < handle.size(); i++) {
        KeysetHandle.Entry entry = handle.getAt(i);
        if (entry.getStatus() != com.google.crypto.tink.KeyStatus.ENABLED) {
          continue;
        }
        try {
          KeysetHandle single = TinkRuntime.newBuilder()
              .addEntry(KeysetHandle.importKey(entry.getKey()).withFixedId(entry.getId()).makePrimary())
              .build();
          byKey.put(new KeyId(entry.getId()), single.getPrimitive(TinkRuntime.config(), StreamingAead.class));
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("cannot build streaming AEAD for key " + new KeyId(entry.getId()), e);
        }
      }
      return Map.copyOf(byKey);
    });
  }

  /** Remembers whether an {@link IOException} came from the underlying stream rather than from authentication. */
  private static final class SourceStream extends FilterInputStream {
    private IOException failure;

    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }
  }

  /** Turns Tink's authentication failures into an {@link IOException} caused by a CiphertextIntegrityException. */
  private static final class AuthenticatingStream extends FilterInputStream {
    private final SourceStream source;
    private final FieldContext context;

    AuthenticatingStream(InputStream decrypting, SourceStream source, FieldContext context) {
      super(decrypting);
      this.source = source;
      this.context = context;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw translate(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw translate(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException e) {
        throw translate(e);
      }
    }

    private IOException translate(IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t == source.failure) {
          return e; // the underlying stream failed: an I/O error, not a forgery
        }
      }
      return new IOException("the object " + context + " failed authentication",
          new CiphertextIntegrityException("the object " + context
              + " failed authentication: it was modified, truncated, or belongs to another object"));
    }
  }
}
