package dev.safeguards.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads JMH's JSON results and prints, for every benchmark pair measured in the same run, the ratio of the library
 * to the raw primitive (higher is better; 1.0 is "costs nothing extra") against its target.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.safeguards.benchmarks.Ratios jmh-results.json</pre>
 */
public final class Ratios {

  private Ratios() {}

  private record Pair(String name, String ours, String raw, String params, double target) {}

  public static void main(String[] args) throws Exception {
    JsonNode results = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
    Map<String, JsonNode> scores = new LinkedHashMap<>();
    for (JsonNode r : results) {
      String name = r.get("benchmark").asText().replace("dev.safeguards.benchmarks.", "");
      StringBuilder params = new StringBuilder();
      r.path("params").properties().forEach(p -> params.append(p.getKey()).append('=').append(p.getValue().asText()));
      scores.put(name + "|" + params, r);
    }
    Pair[] pairs = {
        new Pair("field encrypt 1 KiB (binary)", "FieldEncryptionBenchmark.safeguardsBinary",
            "FieldEncryptionBenchmark.rawJce", "size=1024", 0.85),
        new Pair("field encrypt 64 KiB (binary)", "FieldEncryptionBenchmark.safeguardsBinary",
            "FieldEncryptionBenchmark.rawJce", "size=65536", 0.95),
        new Pair("field encrypt 1 KiB (text)", "FieldEncryptionBenchmark.safeguards",
            "FieldEncryptionBenchmark.rawJce", "size=1024", 0.85),
        new Pair("field encrypt 64 KiB (text)", "FieldEncryptionBenchmark.safeguards",
            "FieldEncryptionBenchmark.rawJce", "size=65536", 0.95),
        new Pair("streaming encrypt 1 MiB", "StreamingEncryptionBenchmark.safeguards",
            "StreamingEncryptionBenchmark.rawJce", "", 0.90),
        new Pair("blind index 32 B", "BlindIndexBenchmark.safeguards", "BlindIndexBenchmark.rawHmac", "", 0.5),
        new Pair("record sign Ed25519", "RecordSignatureBenchmark.safeguardsSign", "RecordSignatureBenchmark.rawSign",
            "", 0.90),
        new Pair("record verify Ed25519", "RecordSignatureBenchmark.safeguardsVerify",
            "RecordSignatureBenchmark.rawVerify", "", 0.90),
        new Pair("JWT verify HS256", "JwtVerifyBenchmark.safeguards", "JwtVerifyBenchmark.handWritten", "alg=HS256",
            0.20),
        new Pair("JWT verify RS256", "JwtVerifyBenchmark.safeguards", "JwtVerifyBenchmark.handWritten", "alg=RS256",
            0.80),
        new Pair("JWT verify ES256", "JwtVerifyBenchmark.safeguards", "JwtVerifyBenchmark.handWritten", "alg=ES256",
            0.90),
        new Pair("JWT verify EdDSA", "JwtVerifyBenchmark.safeguards", "JwtVerifyBenchmark.handWritten", "alg=EdDSA",
            0.90),
        new Pair("JWT HS256, repeat (cache hit)", "JwtVerifyBenchmark.safeguardsCacheHit",
            "JwtVerifyBenchmark.handWritten", "alg=HS256", 0.20),
        new Pair("JWT EdDSA, repeat (cache hit)", "JwtVerifyBenchmark.safeguardsCacheHit",
            "JwtVerifyBenchmark.handWritten", "alg=EdDSA", 0.90),
        new Pair("audit append, no sync", "AuditAppendBenchmark.safeguards", "AuditAppendBenchmark.rawWriteAndHash",
            "", 0.70),
        new Pair("audit chain verification, 100k", "ChainVerificationBenchmark.safeguards",
            "ChainVerificationBenchmark.rawSha256", "", 0.80)};
    System.out.printf("%-32s %16s %16s %8s %8s  %s%n", "benchmark", "library", "raw", "ratio", "target", "");
    for (Pair p : pairs) {
      JsonNode ours = scores.get(p.ours() + "|" + p.params());
      JsonNode raw = scores.get(p.raw() + "|" + p.params());
      if (ours == null || raw == null) {
        System.out.printf("%-32s %s%n", p.name(), "(not in these results)");
        continue;
      }
      double a = ours.path("primaryMetric").path("score").asDouble();
      double b = raw.path("primaryMetric").path("score").asDouble();
      boolean throughput = "thrpt".equals(ours.path("mode").asText());
      double ratio = throughput ? a / b : b / a;
      String unit = ours.path("primaryMetric").path("scoreUnit").asText();
      System.out.printf("%-32s %16s %16s %8.2f %8.2f  %s%n", p.name(), format(a, unit), format(b, unit), ratio,
          p.target(), ratio >= p.target() ? "met" : "MISSED");
    }
  }

  private static String format(double score, String unit) {
    return String.format("%.1f %s", score, unit);
  }
}
