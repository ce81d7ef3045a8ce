package dev.safeguards.examples.clinic;

import static dev.safeguards.examples.clinic.PackagedClinic.java;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster demo as a new user runs it: {@code cluster-demo.sh} starts PostgreSQL and Redis from their artifacts
 * and three packaged replicas, shows state and patients crossing replicas, and verifies the one audit trail with the
 * packaged operator CLI.
 */
class ClusterDemoIT {

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void clusterDemo_crossesReplicas_andTheOneAuditTrailVerifies() throws Exception {
    Path module = Path.of("").toAbsolutePath();
    ProcessBuilder demo = new ProcessBuilder("bash", module.resolve("cluster-demo.sh").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("demo.log").toFile());
    demo.environment().put("CLINIC_CLUSTER_DIR", dir.resolve("cluster").toString());
    demo.environment().put("BASE_PORT", "0");
    demo.environment().put("JAVA", java());
    demo.environment().put("CLUSTER_SERVICES_CP", System.getProperty("java.class.path"));
    Process run = demo.start();
    assertThat(run.waitFor(8, TimeUnit.MINUTES)).as("the demo finishes").isTrue();
    String log = Files.readString(dir.resolve("demo.log"));
    assertThat(run.exitValue()).as(log).isZero();
    assertThat(log).contains("The cluster demo is complete", " intact: ").doesNotContain("!!");
  }
}
