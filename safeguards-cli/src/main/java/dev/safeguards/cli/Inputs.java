package dev.safeguards.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of the files and directories named on the command line, failing with one clear {@link CliException}. */
final class Inputs {

  private Inputs() {}

  /**
   * Requires {@code path} to be a readable regular file.
   *
   * @param what what the file is, for the message, e.g. {@code public key file (--public-key)}
   */
  static Path file(Path path, String what) {
    if (!Files.exists(path)) {
      throw CliException.input(what + " not found: " + path);
    }
    if (!Files.isRegularFile(path)) {
      throw CliException.input(what + " is not a regular file: " + path);
    }
    if (!Files.isReadable(path)) {
      throw CliException.input("cannot read " + what + " " + path + ": permission denied");
    }
    return path;
  }

  /** Requires {@code path} to be a readable directory. */
  static Path directory(Path path, String what) {
    if (!Files.exists(path)) {
      throw CliException.input(what + " not found: " + path);
    }
    if (!Files.isDirectory(path)) {
      throw CliException.input(what + " is not a directory: " + path);
    }
    if (!Files.isReadable(path)) {
      throw CliException.input("cannot read " + what + " " + path + ": permission denied");
    }
    return path;
  }

  /** Requires that nothing exists at {@code path} yet. */
  static Path absent(Path path, String what) {
    if (Files.exists(path)) {
      throw CliException.input(what + " already exists and is never overwritten: " + path);
    }
    return path;
  }

  /** The content of a UTF-8 text file. */
  static String text(Path path, String what) {
    file(path, what);
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw CliException.input(what + " is not UTF-8 text: " + path);
    } catch (IOException e) {
      throw CliException.input("cannot read " + what + " " + path + ": " + e.getClass().getSimpleName());
    }
  }
}
