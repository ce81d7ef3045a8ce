package dev.safeguards.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.SigningKeyset;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The raw Ed25519 public keys of a signing keyset by key id, read again when the keyset has rotated. */
final class Ed25519PublicKeys {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SigningKeyset keys;
  private final Map<KeyId, byte[]> byId = new ConcurrentHashMap<>();

  Ed25519PublicKeys(SigningKeyset keys) {
    if (!keys.algorithm().equals("Ed25519")) {
      throw new IllegalArgumentException("signed notes and cosignatures need an Ed25519 keyset");
    }
    this.keys = keys;
  }

  SigningKeyset keyset() {
    return keys;
  }

  Map<KeyId, byte[]> all() {
    try {
      JsonNode set = JSON.readTree(keys.publicJwks()).get("keys");
      if (set.size() != byId.size()) {
        for (JsonNode jwk : set) {
          byId.computeIfAbsent(KeyId.parse(jwk.get("kid").asText()),
              id -> Base64.getUrlDecoder().decode(jwk.get("x").asText()));
        }
      }
      return byId;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the keyset's public keys cannot be read", e);
    }
  }

  byte[] of(KeyId id) {
    byte[] key = all().get(id);
    if (key == null) {
      throw new IllegalStateException("the key " + id + " has no public key");
    }
    return key;
  }
}
