package dev.safeguards.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.subtle.Ed25519Sign;
import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.KeyedSignature;
import dev.safeguards.crypto.SigningKeyset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Signs notes with an Ed25519 key under a key name (C2SP signed-note signature type 0x01; with {@link Cosignature},
 * type 0x04), so that a log's checkpoints can be verified by anyone holding its {@link NoteVerifier verifier key}
 * (164.312(b), (c)(1)).
 *
 * <p>The key is either one Ed25519 key pair ({@link #generate}, {@link #fromPrivateKey}) or the primary key of an
 * Ed25519 {@link SigningKeyset} ({@link #over}), whose private keys stay encrypted in their keyset file. Each
 * signature line names the key that really made it: over a keyset, the key hash is computed from the public key of
 * the key the keyset signed with, and the signature is checked under that public key before it is used, so a rotation
 * between two signatures gives two key hashes, each verifiable with its own verifier key.
 *
 * <p>No private key material is ever exposed: not by a method, {@link #toString()}, an exception message or a log
 * line. Instances are thread-safe.
 */
public final class NoteSigner {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final byte type;
  private final Ed25519Sign key; // null over a keyset
  private final NoteVerifier fixedVerifier; // null over a keyset
  private final SigningKeyset keyset; // null for a key pair
  private final Clock clock; // for cosignatures (type 0x04) only
  private final Map<KeyId, NoteVerifier> keysetVerifiers = new ConcurrentHashMap<>();

  private NoteSigner(String name, byte type, Ed25519Sign key, NoteVerifier fixedVerifier, SigningKeyset keyset,
      Clock clock) {
    this.name = name;
    this.type = type;
    this.key = key;
    this.fixedVerifier = fixedVerifier;
    this.keyset = keyset;
    this.clock = clock;
  }

  /**
   * A signer with a freshly generated Ed25519 key pair, which lives only in this object: for tests and short-lived
   * logs; a log that must keep its key uses {@link #over} a keyset.
   *
   * @param name the key name signature lines carry, e.g. {@code clinic.example/audit}; not null
   * @return a signer with a key of its own, which no other object holds
   * @throws IllegalArgumentException if the name is not a valid key name (non-empty, without spaces, control
   *     characters or '+')
   */
  public static NoteSigner generate(String name) {
    Note.checkName(name);
    return keyPair(name, NoteVerifier.ED25519, null, newPrivateKey());
  }

  /**
   * A signer with an Ed25519 private key: the 32-byte RFC 8032 private key (the seed, as Go's
   * {@code ed25519.PrivateKey.Seed()} returns it). The array is copied; the caller should erase its own copy.
   *
   * @param name the key name signature lines carry; not null
   * @param privateKey the 32-byte Ed25519 seed; not null; copied, and the copy is erased once the key pair is derived
   * @return a signer with that key
   * @throws IllegalArgumentException if the name is not a valid key name or the key does not have 32 bytes
   */
  public static NoteSigner fromPrivateKey(String name, byte[] privateKey) {
    Note.checkName(name);
    return keyPair(name, NoteVerifier.ED25519, null, checkPrivateKey(privateKey));
  }

  /**
   * A signer over the primary key of an Ed25519 signing keyset. Each signature is made with
   * {@link SigningKeyset#signNamingKey}, and its line names that key's hash; {@link #verifiers()} gives the verifier
   * keys of all enabled keys, to publish before a new key becomes primary.
   *
   * @param name the key name signature lines carry; not null
   * @param keyset an Ed25519 signing keyset, whose primary key signs; not null, used (not copied) at each signature
   * @return a signer that follows the keyset's primary key as it rotates
   * @throws IllegalArgumentException if the name is not a valid key name or the keyset is not of algorithm
   *     {@code Ed25519}
   */
  public static NoteSigner over(String name, SigningKeyset keyset) {
    Note.checkName(name);
    Objects.requireNonNull(keyset, "keyset");
    if (!keyset.algorithm().equals("Ed25519")) {
      throw new IllegalArgumentException("a note signer needs an Ed25519 keyset, not " + keyset.algorithm());
    }
    return overKeyset(name, NoteVerifier.ED25519, keyset, null);
  }

  /** A signer of type {@code type} over the primary key of {@code keyset} (checked by the caller). */
  static NoteSigner overKeyset(String name, byte type, SigningKeyset keyset, Clock clock) {
    return new NoteSigner(name, type, null, null, keyset, clock);
  }

  /** A signer of type {@code type} with the private key {@code privateKey} (32 bytes, already copied). */
  static NoteSigner keyPair(String name, byte type, Clock clock, byte[] privateKey) {
    try {
      Ed25519Sign.KeyPair pair = Ed25519Sign.KeyPair.newKeyPairFromSeed(privateKey);
      NoteVerifier verifier = type == NoteVerifier.ED25519
          ? NoteVerifier.ed25519(name, pair.getPublicKey())
          : NoteVerifier.cosignatureV1(name, pair.getPublicKey());
      return new NoteSigner(name, type, new Ed25519Sign(privateKey), verifier, null, clock);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available", e);
    } finally {
      Arrays.fill(privateKey, (byte) 0);
    }
  }

  /** A fresh 32-byte Ed25519 private key from Tink's key generation. */
  static byte[] newPrivateKey() {
    try {
      return Ed25519Sign.KeyPair.newKeyPair().getPrivateKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available", e);
    }
  }

  /** A copy of a 32-byte private key. */
  static byte[] checkPrivateKey(byte[] privateKey) {
    if (Objects.requireNonNull(privateKey, "privateKey").length != Ed25519Sign.SECRET_KEY_LEN) {
      throw new IllegalArgumentException("an Ed25519 private key has " + Ed25519Sign.SECRET_KEY_LEN + " bytes");
    }
    return privateKey.clone();
  }

  /**
   * The key name every signature line carries.
   *
   * @return the key name, as given when the signer was made
   */
  public String name() {
    return name;
  }

  /**
   * The verifier keys of this signer: for a key pair, its one key; over a keyset, one per enabled key (as
   * {@link SigningKeyset#publicJwks()} lists them), so that clients configured with all of them keep verifying
   * across a rotation.
   *
   * @return the verifier keys (over a keyset, in the order of its JWK set); unmodifiable
   * @throws IllegalStateException over a keyset whose public JWK set is malformed or holds a key that is not Ed25519
   */
  public List<NoteVerifier> verifiers() {
    if (keyset == null) {
      return List.of(fixedVerifier);
    }
    return List.copyOf(keysetVerifiers().values());
  }

  /**
   * The verifier key of the key that signs now: the key pair's, or the keyset's primary key's (found by signing an
   * empty message, as a keyset names its primary key only when it signs).
   *
   * @return the verifier key that checks the next signature this signer makes (until the keyset's primary key changes)
   * @throws IllegalStateException over a keyset that cannot sign
   */
  public NoteVerifier verifier() {
    return keyset == null ? fixedVerifier : keysetVerifier(keyset.sign(new byte[0]).keyId());
  }

  /**
   * The signature line of this signer's key for a note text, naming the key that signed.
   *
   * @throws IllegalArgumentException for a cosigner, if the text is not a checkpoint
   * @throws IllegalStateException if the key cannot sign, or (over a keyset) if the signature does not verify under
   *     the public key the keyset exports for the key that made it
   */
  Note.Signature sign(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] message = body;
    long timestamp = 0;
    if (type == NoteVerifier.COSIGNATURE_V1) {
      Checkpoint.parse(text);
      timestamp = clock.instant().getEpochSecond();
      if (timestamp < 0) {
        throw new IllegalStateException("a cosignature's time is not before 1970");
      }
      message = Cosignature.message(timestamp, body);
    }
    NoteVerifier verifier;
    byte[] signature;
    if (keyset == null) {
      verifier = fixedVerifier;
      try {
        signature = key.sign(message);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Ed25519 signing failed for key " + verifier.name(), e);
      }
    } else {
      byte[] signed = message;
      AtomicReference<KeyId> named = new AtomicReference<>();
      KeyedSignature keyed = keyset.signNamingKey(id -> {
        named.set(id);
        return signed;
      });
      if (!keyed.keyId().equals(named.get())) {
        throw new IllegalStateException("the keyset signed with key " + keyed.keyId() + ", not the key "
            + named.get() + " it named");
      }
      verifier = keysetVerifier(keyed.keyId());
      signature = keyed.value();
      if (!verifier.verifyEd25519(message, signature)) {
        throw new IllegalStateException("the signature of keyset key " + keyed.keyId()
            + " does not verify under the public key the keyset exports for it");
      }
    }
    if (type == NoteVerifier.COSIGNATURE_V1) {
      signature = Cosignature.timestamped(timestamp, signature);
    }
    return new Note.Signature(name, verifier.keyHash(), signature);
  }

  /** The verifier of one keyset key; a key id names one public key for the keyset's life, so it is kept. */
  private NoteVerifier keysetVerifier(KeyId keyId) {
    NoteVerifier v = keysetVerifiers.get(keyId);
    if (v == null) {
      v = keysetVerifiers().get(keyId);
      if (v == null) {
        throw new IllegalStateException("the keyset exports no public key for key " + keyId);
      }
    }
    return v;
  }

  /** The verifiers of the keyset's enabled keys, in the order of its JWK set. */
  private Map<KeyId, NoteVerifier> keysetVerifiers() {
    JsonNode keys;
    try {
      keys = JSON.readTree(keyset.publicJwks()).path("keys");
    } catch (IOException e) {
      throw new IllegalStateException("the keyset's JWK set is not JSON", e);
    }
    Map<KeyId, NoteVerifier> out = new LinkedHashMap<>();
    for (JsonNode jwk : keys) {
      KeyId id = KeyId.parse(jwk.path("kid").asText());
      if (!jwk.path("kty").asText().equals("OKP") || !jwk.path("crv").asText().equals("Ed25519")) {
        throw new IllegalStateException("keyset key " + id + " is not an Ed25519 public key");
      }
      byte[] publicKey;
      try {
        publicKey = Base64.getUrlDecoder().decode(jwk.path("x").asText());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("the public key of keyset key " + id + " is not base64url", e);
      }
      NoteVerifier v = type == NoteVerifier.ED25519
          ? NoteVerifier.ed25519(name, publicKey)
          : NoteVerifier.cosignatureV1(name, publicKey);
      keysetVerifiers.putIfAbsent(id, v);
      out.put(id, v);
    }
    return out;
  }

  /** Names the key and, over a keyset, says so; never key material. */
  @Override
  public String toString() {
    return keyset == null
        ? "NoteSigner[" + fixedVerifier.name() + "+" + Note.hex(fixedVerifier.keyHash()) + "]"
        : "NoteSigner[" + name + ", over " + keyset + "]";
  }
}
