package dev.safeguards.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * The entries {@code archive create} writes for the files and directories named on its command line: a file becomes
 * an entry named after it; a directory {@code d} becomes one entry {@code d/<relative path>} per regular file below
 * it, in name order. Links and special files are refused rather than followed.
 */
final class ArchiveEntries {

  /** One entry to write: its name in the archive and the file holding its content. */
  record Entry(String name, Path file) {}

  private ArchiveEntries() {}

  /** The entries for {@code inputs}, in command-line order. */
  static List<Entry> of(List<Path> inputs) {
    List<Entry> entries = new ArrayList<>();
    for (Path input : inputs) {
      Path path = input.toAbsolutePath().normalize();
      if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        throw CliException.input("file to archive not found: " + input);
      }
      if (path.getFileName() == null) {
        throw CliException.input("cannot archive a file system root: " + input);
      }
      if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        entries.add(new Entry(path.getFileName().toString(), path));
      } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        entries.addAll(directory(path, input));
      } else {
        throw CliException.input("neither a regular file nor a directory (links are not archived): " + input);
      }
    }
    return entries;
  }

  private static List<Entry> directory(Path root, Path input) {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      throw CliException.input("cannot read directory " + input + ": " + e.getClass().getSimpleName());
    }
    List<Entry> entries = new ArrayList<>();
    for (Path file : files) {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw CliException.input("neither a regular file nor a directory (links are not archived): " + file);
      }
      StringJoiner name = new StringJoiner("/").add(root.getFileName().toString());
      root.relativize(file).forEach(part -> name.add(part.toString()));
      entries.add(new Entry(name.toString(), file));
    }
    return entries;
  }
}
