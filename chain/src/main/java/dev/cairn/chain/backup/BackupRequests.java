package dev.cairn.chain.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The protocol between {@code cairn backup} and a running node, through files in
 * {@code <data-dir>/backup-requests/}: the command writes {@code <id>.request} holding the absolute target
 * directory; the node answers with {@code <id>.done} ("height hash") or {@code <id>.failed} (one line: why)
 * and deletes the request. Only someone who can write the node's data dir can ask, which is exactly who could
 * copy it anyway: no network endpoint, no credential. Every file is written beside its name and renamed, so
 * neither side reads half a file.
 */
public final class BackupRequests {
  public static final String DIR_NAME = "backup-requests";
  /** A request is one path; anything longer is not one. */
  static final int REQUEST_BYTES_MAX = 4096;
  /** Request ids: what the command generates, nothing that could name another directory. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private BackupRequests() {}

  public static Path dir(Path dataDir) {
    return dataDir.resolve(DIR_NAME);
  }

  /** Asks the node of {@code dataDir} for a checkpoint into {@code target}; returns nothing but the file. */
  public static void request(Path dataDir, String id, Path target) throws IOException {
    requireId(id);
    Path dir = dir(dataDir);
    Files.createDirectories(dir);
    writeAtomically(dir.resolve(id + ".request"), target.toAbsolutePath().normalize().toString());
  }

  /** The node's answer, once there: a completed backup or the reason it failed. */
  public sealed interface Answer {
    record Done(String headLine) implements Answer {}

    record Failed(String reason) implements Answer {}
  }

  public static Optional<Answer> answer(Path dataDir, String id) throws IOException {
    requireId(id);
    Path done = dir(dataDir).resolve(id + ".done");
    Path failed = dir(dataDir).resolve(id + ".failed");
    if (Files.isRegularFile(done)) {
      String line = readBounded(done);
      Files.deleteIfExists(done);
      return Optional.of(new Answer.Done(line));
    }
    if (Files.isRegularFile(failed)) {
      String line = readBounded(failed);
      Files.deleteIfExists(failed);
      return Optional.of(new Answer.Failed(line));
    }
    return Optional.empty();
  }

  static void requireId(String id) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("backup request id must match " + ID.pattern());
    }
  }

  static String readBounded(Path file) throws IOException {
    long size = Files.size(file);
    if (size > REQUEST_BYTES_MAX) {
      throw new IOException(file + " holds " + size + " bytes, more than " + REQUEST_BYTES_MAX);
    }
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
  }

  static void writeAtomically(Path file, String content) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.writeString(partial, content + "\n", StandardCharsets.UTF_8);
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
