package dev.safeguards.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Finds keyset files and the purpose each one holds, and opens them. */
final class Keysets {

  /** How a keyset file's name ends: {@code <purpose>.keyset.json}. */
  static final String SUFFIX = ".keyset.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_FILE_BYTES = 1 << 20;

  private Keysets() {}

  /**
   * The purpose named {@code name}, e.g. {@code field-encryption}.
   *
   * @throws IllegalArgumentException naming the purposes there are
   */
  static KeyPurpose purpose(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException(
        "unknown key purpose '" + name + "' (one of: " + names() + ")"));
  }

  /** Every purpose's name, for messages and help. */
  static String names() {
    return Arrays.stream(KeyPurpose.values()).map(KeyPurpose::fileName).collect(Collectors.joining(", "));
  }

  /**
   * Opens a keyset file of any purpose: the purpose comes from the file's own {@code "purpose"} member, else from its
   * name; opening it then checks that member against the seal, the master key and the format.
   */
  static ManagedKeyset open(Path file, KeyEncryptionKey kek, Clock clock) {
    Inputs.file(file, "keyset file");
    try {
      return ManagedKeyset.open(file, purposeOf(file), kek, clock);
    } catch (KeyManagementException e) {
      throw CliException.input(e.getMessage());
    }
  }

  /** The keyset files ({@code *.keyset.json}) in {@code directory}, sorted by name. */
  static List<Path> filesIn(Path directory) {
    Inputs.directory(directory, "key directory");
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      stream.forEach(files::add);
    } catch (IOException e) {
      throw CliException.input("cannot list key directory " + directory + ": " + e.getClass().getSimpleName());
    }
    files.sort(null);
    if (files.isEmpty()) {
      throw CliException.input("no keyset files (*" + SUFFIX + ") in " + directory);
    }
    return files;
  }

  private static KeyPurpose purposeOf(Path file) {
    Optional<String> declared = declaredPurpose(file);
    if (declared.isPresent()) {
      return find(declared.get()).orElseThrow(() -> CliException.input(
          "keyset file " + file + " names an unknown purpose (expected one of: " + names() + ")"));
    }
    String name = file.getFileName().toString();
    if (name.endsWith(SUFFIX)) {
      Optional<KeyPurpose> purpose = find(name.substring(0, name.length() - SUFFIX.length()));
      if (purpose.isPresent()) {
        return purpose.get();
      }
    }
    throw CliException.input("cannot tell the purpose of keyset file " + file
        + ": it has no \"purpose\" member and its name is not <purpose>" + SUFFIX);
  }

  /** The clear {@code "purpose"} member of a keyset file, if the file is a JSON object that has one. */
  private static Optional<String> declaredPurpose(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        return Optional.empty();
      }
      JsonNode purpose = JSON.readTree(file.toFile()).path("purpose");
      return purpose.isTextual() ? Optional.of(purpose.textValue()) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // opening the file reports what is wrong with it
    }
  }

  private static Optional<KeyPurpose> find(String name) {
    return Arrays.stream(KeyPurpose.values()).filter(p -> p.fileName().equals(name)).findFirst();
  }
}
