package dev.safeguards.crypto;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.signature.EcdsaParameters;
import com.google.crypto.tink.signature.EcdsaPublicKey;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.util.Bytes;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.spec.ECPoint;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** {@link SigningKeyset} over a Tink signature or MAC keyset, or over the public keys of a JWK set. */
final class TinkSigningKeyset implements SigningKeyset {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Per-key primitives of one keyset state (or of a JWK set). */
  private record Primitives(KeyId primary, Map<KeyId, PublicKeySign> signers, Map<KeyId, PublicKeyVerify> verifiers,
      Map<KeyId, Mac> macs, Map<KeyId, Key> publicKeys) {}

  private final KeyPurpose purpose;
  private final ManagedKeyset keyset; // null when built from a JWK set
  private final Primitives fixed; // set when built from a JWK set

  private TinkSigningKeyset(KeyPurpose purpose, ManagedKeyset keyset, Primitives fixed) {
    this.purpose = purpose;
    this.keyset = keyset;
    this.fixed = fixed;
  }

  static TinkSigningKeyset over(ManagedKeyset keyset) {
    Objects.requireNonNull(keyset, "keyset");
    if (!keyset.purpose().isSignature() && keyset.purpose() != KeyPurpose.RECORD_MAC) {
      throw new IllegalArgumentException("a SigningKeyset needs a signing or record-mac keyset, not "
          + keyset.purpose());
    }
    return new TinkSigningKeyset(keyset.purpose(), keyset, null);
  }

  @Override
  public String algorithm() {
    return purpose == KeyPurpose.RECORD_MAC ? "HS256" : purpose.isEd25519() ? "Ed25519" : "ES256";
  }

  @Override
  public KeyedSignature sign(byte[] data) {
    Objects.requireNonNull(data, "data");
    return signNamingKey(keyId -> data);
  }

  @Override
  public KeyedSignature signNamingKey(Function<KeyId, byte[]> inputForKey) {
    Objects.requireNonNull(inputForKey, "inputForKey");
    if (keyset == null) {
      throw new IllegalStateException("a keyset built from public keys cannot sign");
    }
    Primitives p = primitives();
    byte[] data = Objects.requireNonNull(inputForKey.apply(p.primary()), "input");
    try {
      byte[] value = purpose == KeyPurpose.RECORD_MAC
          ? p.macs().get(p.primary()).computeMac(data)
          : p.signers().get(p.primary()).sign(data);
      return new KeyedSignature(p.primary(), value);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed under key " + p.primary(), e);
    }
  }

  @Override
  public void verify(byte[] data, KeyedSignature signature) throws InvalidSignatureException {
    Objects.requireNonNull(data, "data");
    Primitives p = primitives();
    KeyId keyId = signature.keyId();
    try {
      if (purpose == KeyPurpose.RECORD_MAC) {
        Mac mac = p.macs().get(keyId);
        if (mac == null) {
          throw unknown(keyId);
        }
        mac.verifyMac(signature.value(), data);
      } else {
        PublicKeyVerify verifier = p.verifiers().get(keyId);
        if (verifier == null) {
          throw unknown(keyId);
        }
        verifier.verify(signature.value(), data);
      }
    } catch (GeneralSecurityException e) {
      throw new InvalidSignatureException("the signature does not verify under key " + keyId, false);
    }
  }

  private InvalidSignatureException unknown(KeyId keyId) {
    return new InvalidSignatureException("key " + keyId + " is not an enabled key of the " + purpose.fileName()
        + " keyset", true);
  }

  @Override
  public String publicJwks() {
    if (purpose == KeyPurpose.RECORD_MAC) {
      throw new IllegalStateException("an HMAC keyset has no public keys to export");
    }
    ObjectNode root = JSON.createObjectNode();
    ArrayNode keys = root.putArray("keys");
    for (Map.Entry<KeyId, Key> e : primitives().publicKeys().entrySet()) {
      ObjectNode jwk = keys.addObject();
      if (e.getValue() instanceof Ed25519PublicKey ed) {
        jwk.put("kty", "OKP").put("crv", "Ed25519").put("x", b64(ed.getPublicKeyBytes().toByteArray()));
      } else {
        ECPoint point = ((EcdsaPublicKey) e.getValue()).getPublicPoint();
        jwk.put("kty", "EC").put("crv", "P-256").put("x", b64(unsigned32(point.getAffineX())))
            .put("y", b64(unsigned32(point.getAffineY())));
      }
      jwk.put("kid", e.getKey().toString()).put("alg", purpose.isEd25519() ? "EdDSA" : "ES256")
          .put("use", "sig");
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a JWK set", e);
    }
  }

  private Primitives primitives() {
    if (fixed != null) {
      return fixed;
    }
    return keyset.snapshot().cached(TinkSigningKeyset.class, s -> build(s.handle(), purpose));
  }

  /** One single-key primitive per enabled key: signatures name their key id themselves. */
  private static Primitives build(KeysetHandle handle, KeyPurpose purpose) {
    Map<KeyId, PublicKeySign> signers = new LinkedHashMap<>();
    Map<KeyId, PublicKeyVerify> verifiers = new LinkedHashMap<>();
    Map<KeyId, Mac> macs = new LinkedHashMap<>();
    Map<KeyId, Key> publicKeys = new LinkedHashMap<>();
    for (int i = 0; i < handle.size(); i++) {
      KeysetHandle.Entry entry = handle.getAt(i);
      if (entry.getStatus() != com.google.crypto.tink.KeyStatus.ENABLED) {
        continue;
      }
      KeyId id = new KeyId(entry.getId());
      try {
        KeysetHandle single = TinkRuntime.newBuilder()
            .addEntry(KeysetHandle.importKey(entry.getKey()).withFixedId(entry.getId()).makePrimary())
            .build();
        if (purpose == KeyPurpose.RECORD_MAC) {
          macs.put(id, single.getPrimitive(TinkRuntime.config(), Mac.class));
        } else {
          signers.put(id, single.getPrimitive(TinkRuntime.config(), PublicKeySign.class));
          KeysetHandle pub = single.getPublicKeysetHandle();
          verifiers.put(id, pub.getPrimitive(TinkRuntime.config(), PublicKeyVerify.class));
          publicKeys.put(id, pub.getAt(0).getKey());
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot build the primitive of key " + id, e);
      }
    }
    return new Primitives(new KeyId(handle.getPrimary().getId()), Map.copyOf(signers), Map.copyOf(verifiers),
        Map.copyOf(macs), publicKeys);
  }

  static TinkSigningKeyset fromJwks(String jwks) {
    Objects.requireNonNull(jwks, "jwks");
    JsonNode root;
    try {
      root = JSON.readTree(jwks);
    } catch (IOException e) {
      throw new IllegalArgumentException("the JWK set is not valid JSON");
    }
    if (root == null || !root.isObject() || !root.path("keys").isArray() || root.get("keys").isEmpty()) {
      throw new IllegalArgumentException("a JWK set is an object with a non-empty \"keys\" array");
    }
    KeyPurpose purpose = null;
    Map<KeyId, PublicKeyVerify> verifiers = new LinkedHashMap<>();
    Map<KeyId, Key> publicKeys = new LinkedHashMap<>();
    for (JsonNode jwk : root.get("keys")) {
      String kty = jwk.path("kty").asText();
      String crv = jwk.path("crv").asText();
      KeyPurpose p = kty.equals("OKP") && crv.equals("Ed25519") ? KeyPurpose.RECORD_SIGNING_ED25519
          : kty.equals("EC") && crv.equals("P-256") ? KeyPurpose.RECORD_SIGNING_P256 : null;
      if (p == null || (purpose != null && p != purpose)) {
        throw new IllegalArgumentException("a JWK set holds Ed25519 or P-256 keys, all of one kind");
      }
      purpose = p;
      KeyId id = KeyId.parse(jwk.path("kid").asText());
      String alg = jwk.path("alg").asText(p == KeyPurpose.RECORD_SIGNING_ED25519 ? "EdDSA" : "ES256");
      if (!alg.equals(p == KeyPurpose.RECORD_SIGNING_ED25519 ? "EdDSA" : "ES256")) {
        throw new IllegalArgumentException("key " + id + " names another algorithm");
      }
      try {
        Key key = p == KeyPurpose.RECORD_SIGNING_ED25519
            ? Ed25519PublicKey.create(Bytes.copyFrom(decode(jwk, "x", 32)))
            : EcdsaPublicKey.builder()
                .setParameters((EcdsaParameters) TinkRuntime.parameters(KeyPurpose.RECORD_SIGNING_P256))
                .setPublicPoint(new ECPoint(new BigInteger(1, decode(jwk, "x", 32)),
                    new BigInteger(1, decode(jwk, "y", 32))))
                .build();
        KeysetHandle single = TinkRuntime.newBuilder()
            .addEntry(KeysetHandle.importKey(key).withFixedId(id.value()).makePrimary())
            .build();
        if (verifiers.put(id, single.getPrimitive(TinkRuntime.config(), PublicKeyVerify.class)) != null) {
          throw new IllegalArgumentException("key id " + id + " appears twice");
        }
        publicKeys.put(id, key);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("key " + id + " is not a valid public key", e);
      }
    }
    return new TinkSigningKeyset(purpose, null, new Primitives(null, Map.of(), Map.copyOf(verifiers), Map.of(),
        publicKeys));
  }

  private static byte[] decode(JsonNode jwk, String member, int length) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(jwk.path(member).asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("JWK member " + member + " is not base64url");
    }
    if (bytes.length != length) {
      throw new IllegalArgumentException("JWK member " + member + " must have " + length + " bytes");
    }
    return bytes;
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A coordinate as exactly 32 big-endian bytes. */
  private static byte[] unsigned32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  @Override
  public java.util.Optional<java.nio.file.Path> file() {
    return keyset == null ? java.util.Optional.empty() : java.util.Optional.of(keyset.file());
  }

  @Override
  public String toString() {
    return "SigningKeyset[" + algorithm() + (keyset == null ? ", public keys only" : ", " + keyset.file()) + "]";
  }
}
