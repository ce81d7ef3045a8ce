package dev.safeguards.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * safeguards-bom names the Jackson 2 version core is built and tested with, since an application that imports the BOM
 * gets exactly that one (an older jackson-annotations, pulled in by another library, once broke key loading).
 */
class BomTest {

  @Test
  void theBomsJackson_isTheOneCoreRunsWith() throws Exception {
    String bom = Files.readString(Path.of("../safeguards-bom/pom.xml"));
    Matcher version = Pattern.compile("<jackson.version>([^<]+)</jackson.version>").matcher(bom);

    assertThat(version.find()).as("safeguards-bom sets jackson.version").isTrue();
    assertThat(version.group(1)).isEqualTo(PackageVersion.VERSION.toString());
  }
}
