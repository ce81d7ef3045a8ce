package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReencryptionCheckpointsTest {

  private static final ReencryptionCheckpoint SAVED = new ReencryptionCheckpoint(new KeyId(0x0a1b2c3d),
      Set.of(new KeyId(0x11111111), new KeyId(0x22222222)),
      new ReencryptionProgress(500, 1200, 3, 1, 2, Optional.of("p-00499")));

  @TempDir Path dir;

  @Test
  void saveThenLoad_roundTrips_andClearForgets() throws Exception {
    ReencryptionCheckpoints store = ReencryptionCheckpoints.file(dir.resolve("c.json"));
    store.save(SAVED);

    assertThat(store.load()).contains(SAVED);
    store.clear();
    assertThat(store.load()).isEmpty();
    store.clear();
  }

  @Test
  void load_ofACheckpointWithAMemberMissingOrOfTheWrongType_failsInsteadOfRestartingOrForgettingKeys()
      throws Exception {
    Path file = dir.resolve("c.json");
    ReencryptionCheckpoints store = ReencryptionCheckpoints.file(file);
    store.save(SAVED);
    String valid = Files.readString(file);
    Map<String, String> damaged = new LinkedHashMap<>();
    damaged.put("lastPosition missing", valid.replaceAll("\"lastPosition\" *: *\"p-00499\",", ""));
    damaged.put("lastPosition a number", valid.replaceAll("\"p-00499\"", "499"));
    damaged.put("lastPosition an object", valid.replaceAll("\"p-00499\"", "{}"));
    damaged.put("retiringKeyIds a string", valid.replaceAll("\\[[^\\]]*\\]", "\"11111111\""));
    damaged.put("retiringKeyIds an object", valid.replaceAll("\\[[^\\]]*\\]", "{\"a\":\"11111111\"}"));
    damaged.put("a count a fraction", valid.replaceAll("\"recordsScanned\" *: *500", "\"recordsScanned\" : 500.5"));
    damaged.put("a count a string", valid.replaceAll("\"recordsScanned\" *: *500", "\"recordsScanned\" : \"500\""));
    damaged.put("a count negative", valid.replaceAll("\"valuesFailed\" *: *2", "\"valuesFailed\" : -2"));
    damaged.put("targetKeyId a number", valid.replaceAll("\"0a1b2c3d\"", "1"));
    damaged.put("not an object", "[]");
    damaged.put("empty", "");
    for (Map.Entry<String, String> e : damaged.entrySet()) {
      assertThat(e.getValue()).as(e.getKey()).isNotEqualTo(valid);
      Files.writeString(file, e.getValue());

      assertThatThrownBy(store::load).as(e.getKey())
          .isInstanceOf(IOException.class)
          .hasMessageContaining(file.toString());
    }
  }
}
