package dev.safeguards.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.authn.JwkSource;
import dev.safeguards.authn.JwsAlgorithm;
import dev.safeguards.authn.TokenPolicy;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.identity.Principal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Access-token verification by the library ({@link TokenVerifier}: jjwt plus every claim check of the policy) against
 * a hand-written JCA check of the same token: base64url, the signature, and {@code exp}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class JwtVerifyBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder D64 = Base64.getUrlDecoder();
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @Param({"HS256", "RS256", "ES256", "EdDSA"})
  String alg;

  private String token;
  private TokenVerifier cached;
  private TokenVerifier verifier;
  private PublicKey publicKey;
  private byte[] secret;
  private String jcaName;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String jwk;
    KeyPair pair = null;
    switch (alg) {
      case "HS256" -> {
        secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        jwk = "{\"kty\":\"oct\",\"kid\":\"k1\",\"k\":\"" + B64.encodeToString(secret) + "\"}";
      }
      case "RS256" -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        pair = g.generateKeyPair();
        RSAPublicKey k = (RSAPublicKey) pair.getPublic();
        jwk = "{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"" + unsigned(k.getModulus(), 256) + "\",\"e\":\""
            + unsigned(k.getPublicExponent(), 0) + "\"}";
        jcaName = "SHA256withRSA";
      }
      case "ES256" -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        pair = g.generateKeyPair();
        ECPublicKey k = (ECPublicKey) pair.getPublic();
        jwk = "{\"kty\":\"EC\",\"kid\":\"k1\",\"crv\":\"P-256\",\"x\":\"" + unsigned(k.getW().getAffineX(), 32)
            + "\",\"y\":\"" + unsigned(k.getW().getAffineY(), 32) + "\"}";
        jcaName = "SHA256withECDSAinP1363Format";
      }
      default -> {
        pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] x509 = pair.getPublic().getEncoded();
        jwk = "{\"kty\":\"OKP\",\"kid\":\"k1\",\"crv\":\"Ed25519\",\"x\":\""
            + B64.encodeToString(Arrays.copyOfRange(x509, x509.length - 32, x509.length)) + "\"}";
        jcaName = "Ed25519";
      }
    }
    String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"k1\"}";
    long iat = NOW.getEpochSecond();
    String claims = "{\"iss\":\"https://idp.example\",\"aud\":\"clinic-api\","
        + "\"sub\":\"0193b2c4-7f00-7000-8000-00000000a11c\",\"iat\":" + iat + ",\"exp\":" + (iat + 600)
        + ",\"jti\":\"t-1\",\"sid\":\"s-1\",\"amr\":[\"pwd\",\"otp\"],\"roles\":[\"clinician\"]}";
    String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    byte[] sig;
    if (secret != null) {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      sig = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } else {
      Signature s = Signature.getInstance(jcaName);
      s.initSign(pair.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      sig = s.sign();
      publicKey = pair.getPublic();
    }
    token = input + "." + B64.encodeToString(sig);
    String jwks = "{\"keys\":[" + jwk + "]}";
    TokenPolicy.Builder policy = TokenPolicy.builder("https://idp.example", "clinic-api",
            secret != null ? JwkSource.ofIncludingSharedSecrets(jwks) : JwkSource.of(jwks))
        .clock(Clock.fixed(NOW.plusSeconds(1), ZoneOffset.UTC));
    if (secret != null) {
      policy.allowHmacAlgorithmsWithSharedSecrets().algorithms(JwsAlgorithm.HS256);
    }
    // The same token every time: without turning the verified-token cache off, this would measure cache hits.
    verifier = TokenVerifier.create(policy.cacheVerifiedTokens(0).build());
    cached = TokenVerifier.create(policy.cacheVerifiedTokens(16).build());
    if (verifier.verify(token) == null || cached.verify(token) == null || !handWritten()) {
      throw new IllegalStateException("the benchmark token does not verify");
    }
  }

  private static String unsigned(BigInteger v, int length) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      b = Arrays.copyOfRange(b, 1, b.length);
    }
    if (length > b.length) {
      byte[] padded = new byte[length];
      System.arraycopy(b, 0, padded, length - b.length, b.length);
      b = padded;
    }
    return B64.encodeToString(b);
  }

  @Benchmark
  public Principal safeguards() throws Exception {
    return verifier.verify(token);
  }

  /** The same token again with the verified-token cache on (the default): what a client's repeat requests cost. */
  @Benchmark
  public Principal safeguardsCacheHit() throws Exception {
    return cached.verify(token);
  }

  /** The minimum any correct check does: decode, check the signature, read {@code exp}. */
  @Benchmark
  public boolean handWritten() throws Exception {
    int first = token.indexOf('.');
    int second = token.indexOf('.', first + 1);
    byte[] input = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
    byte[] sig = D64.decode(token.substring(second + 1));
    JsonNode header = JSON.readTree(D64.decode(token.substring(0, first)));
    if (!alg.equals(header.path("alg").asText())) {
      return false;
    }
    boolean valid;
    if (secret != null) {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      valid = MessageDigest.isEqual(mac.doFinal(input), sig);
    } else {
      Signature s = Signature.getInstance(jcaName);
      s.initVerify(publicKey);
      s.update(input);
      valid = s.verify(sig);
    }
    JsonNode claims = JSON.readTree(D64.decode(token.substring(first + 1, second)));
    return valid && claims.path("exp").asLong() > NOW.getEpochSecond();
  }
}
