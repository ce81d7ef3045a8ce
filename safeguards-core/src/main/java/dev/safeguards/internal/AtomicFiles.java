package dev.safeguards.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Durable file replacement: write a sibling temporary file, fsync it, rename it over the target atomically, then
 * fsync the directory so the rename itself survives a crash. Not part of the public API.
 */
public final class AtomicFiles {

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private AtomicFiles() {}

  /**
   * Writes {@code content} to {@code target} atomically and durably, readable and writable by the owner only (where
   * the file system supports POSIX permissions). Missing parent directories are created with default permissions. A
   * reader sees the old content or the new, never a part; the temporary file is removed whatever happens.
   *
   * @param target the file to write; must have a parent directory
   * @param content the bytes to write; not modified
   * @param replaceExisting whether an existing {@code target} is replaced; if false, the write fails when it exists
   * @throws FileAlreadyExistsException if {@code target} exists and {@code replaceExisting} is false
   * @throws IOException if the file cannot be written, synced or renamed, or the file system cannot rename atomically
   * @throws IllegalArgumentException if {@code target} has no parent directory
   */
  public static void write(Path target, byte[] content, boolean replaceExisting) throws IOException {
    Path dir = parentOf(target);
    Files.createDirectories(dir);
    Path tmp = createOwnerOnlyTempFile(dir, target.getFileName().toString());
    try {
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        out.write(content);
      }
      fsync(tmp);
      move(tmp, target, replaceExisting);
      fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Renames {@code source} to {@code target} atomically. Without {@code replaceExisting}, fails with
   * {@link FileAlreadyExistsException} when the target exists: atomically through a hard link, or, where the file
   * system has no hard links at all, by a check just before the rename. The directory is not synced.
   *
   * @param source the file to rename; must exist
   * @param target the new name, on the same file system
   * @param replaceExisting whether an existing {@code target} is replaced
   * @throws FileAlreadyExistsException if {@code target} exists and {@code replaceExisting} is false
   * @throws IOException if the rename fails, or the file system cannot rename atomically
   */
  public static void move(Path source, Path target, boolean replaceExisting) throws IOException {
    if (!replaceExisting) {
      // A rename replaces an existing target silently on POSIX; a hard link refuses it atomically.
      try {
        Files.createLink(target, source);
        Files.delete(source);
        return;
      } catch (UnsupportedOperationException noHardLinks) {
        if (Files.exists(target)) {
          throw new FileAlreadyExistsException(target.toString());
        }
      }
    }
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename atomically: " + target, e);
    }
  }

  /**
   * Creates an empty temporary file in {@code dir}, named {@code .<prefix>.<random>.tmp}, owner-only where the file
   * system supports POSIX permissions.
   *
   * @param dir the existing directory to create it in
   * @param prefix the start of its name after the dot, usually the name of the file it will replace
   * @return the new file's path
   * @throws IOException if the file cannot be created
   */
  public static Path createOwnerOnlyTempFile(Path dir, String prefix) throws IOException {
    if (supportsPosix(dir)) {
      return Files.createTempFile(dir, "." + prefix + ".", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    return Files.createTempFile(dir, "." + prefix + ".", ".tmp");
  }

  /**
   * Creates {@code file}, which must not exist, readable and writable by its owner only where the file system supports
   * POSIX permissions.
   *
   * @param file the file to create; its parent directory must exist
   * @throws FileAlreadyExistsException if it exists
   * @throws IOException if it cannot be created
   * @throws IllegalArgumentException if {@code file} has no parent directory
   */
  public static void createOwnerOnlyFile(Path file) throws IOException {
    if (supportsPosix(parentOf(file))) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createFile(file);
    }
  }

  /**
   * Forces a file's content and metadata to the storage device.
   *
   * @param file an existing file that this process may open for writing
   * @throws IOException if it cannot be opened or synced
   */
  public static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * Forces a directory entry change (create, rename, delete) to the storage device where the platform allows it. On a
   * file system without POSIX permissions (Windows), a directory that cannot be opened for syncing is skipped silently.
   *
   * @param dir the directory whose entries changed
   * @throws IOException if the directory cannot be opened or synced on a POSIX file system
   */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms (Windows) cannot open a directory for sync; a POSIX failure is a real error.
      if (supportsPosix(dir)) {
        throw e;
      }
    }
  }

  /**
   * Creates {@code dir} (and missing parents) if it does not exist; the directories it creates are accessible by their
   * owner only where the file system supports POSIX permissions. Existing directories keep their permissions.
   *
   * @param dir the directory; relative paths are resolved against the working directory
   * @throws FileAlreadyExistsException if it, or one of its parents, exists and is not a directory
   * @throws IOException if a directory cannot be created
   */
  public static void createOwnerOnlyDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createOwnerOnlyDirectories(parent);
    }
    try {
      if (supportsPosix(parent == null ? absolute : parent)) {
        Files.createDirectory(absolute,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(absolute);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(absolute)) {
        throw e;
      }
    }
  }

  /**
   * Restricts an existing file to its owner (read and write, {@code rw-------}) where the file system supports POSIX
   * permissions; elsewhere does nothing.
   *
   * @param file the existing file
   * @throws IOException if its permissions cannot be set
   */
  public static void restrictToOwner(Path file) throws IOException {
    if (supportsPosix(file)) {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }

  private static boolean supportsPosix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static Path parentOf(Path target) {
    Path parent = target.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("target has no parent directory: " + target);
    }
    return parent;
  }
}
