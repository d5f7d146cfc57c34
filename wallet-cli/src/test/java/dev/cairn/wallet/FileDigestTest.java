package dev.cairn.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming SHA-256 of a file: the digests any SHA-256 gives (FIPS 180-2 examples), the bytes counted, a
 * 64 MiB sparse file hashed with a heap allocation that does not grow with the file, a progress line only
 * when asked for, and files that are not regular or that change while they are read refused.
 */
class FileDigestTest {
  private static final long MIB = 1024 * 1024;
  @TempDir Path dir;

  @Test
  void digestsAreTheStandardOnes() throws Exception {
    Path abc = Files.writeString(dir.resolve("abc"), "abc", StandardCharsets.US_ASCII);
    FileDigest digest = FileDigest.of(abc, HashProgress.NONE);
    assertThat(digest.sha256().toHex()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(digest.sizeBytes()).isEqualTo(3);

    Path empty = Files.createFile(dir.resolve("empty"));
    assertThat(FileDigest.of(empty, HashProgress.NONE).sha256().toHex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void aLargeFileIsStreamedThroughOneBuffer() throws Exception {
    Path sparse = dir.resolve("sparse.img");
    try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
      file.setLength(64 * MIB);
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    FileDigest digest = FileDigest.of(sparse, HashProgress.NONE);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(digest.sizeBytes()).isEqualTo(64 * MIB);
    // sha256 of 64 MiB of zero bytes (as `truncate -s 64M f && sha256sum f` prints it).
    assertThat(digest.sha256().toHex()).isEqualTo("3b6a07d0d404fab4e23b6d34bc6696a6a312dd92821332385e5af7c01c421351");
    assertThat(allocated).as("heap allocated while hashing 64 MiB").isLessThan(4 * MIB);
  }

  @Test
  void progressIsDrawnOnlyWhenAskedAndErasedAtTheEnd() throws Exception {
    Path sparse = dir.resolve("big.img");
    try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
      file.setLength(HashProgress.ProgressLine.SHOW_BYTES_MIN);
    }
    StringWriter terminal = new StringWriter();
    FileDigest.of(sparse, HashProgress.on(new PrintWriter(terminal), true, "big.img"));
    assertThat(terminal.toString()).startsWith("\rhashing big.img  ").contains("64 MiB of 64 MiB  100%").endsWith("\r");

    StringWriter captured = new StringWriter();
    FileDigest.of(sparse, HashProgress.on(new PrintWriter(captured), false, "big.img"));
    assertThat(captured.toString()).isEmpty();

    Path small = Files.writeString(dir.resolve("small"), "x");
    StringWriter quiet = new StringWriter();
    FileDigest.of(small, HashProgress.on(new PrintWriter(quiet), true, "small"));
    assertThat(quiet.toString()).as("a small file hashes too fast for a progress line").isEmpty();
  }

  @Test
  void onlyRegularFilesAreHashed() {
    assertThatThrownBy(() -> FileDigest.of(dir, HashProgress.NONE)).hasMessageContaining("is not a regular file");
    assertThatThrownBy(() -> FileDigest.of(dir.resolve("missing"), HashProgress.NONE)).hasMessageContaining("cannot read");
  }

  @Test
  void aFileThatGrowsWhileItIsHashedIsRefused() throws Exception {
    Path growing = dir.resolve("growing.log");
    try (RandomAccessFile file = new RandomAccessFile(growing.toFile(), "rw")) {
      file.setLength(HashProgress.ProgressLine.SHOW_BYTES_MIN);
    }
    // A writer appends once the first buffer was read: the digest would be of no version of the file.
    HashProgress writer = new HashProgress() {
      @Override
      public void hashed(long bytes, long totalBytes) {
        if (bytes == FileDigest.BUFFER_BYTES) {
          try {
            Files.writeString(growing, "appended", java.nio.file.StandardOpenOption.APPEND);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }

      @Override
      public void done() {}
    };
    assertThatThrownBy(() -> FileDigest.of(growing, writer)).hasMessageContaining("changed while it was hashed");
  }
}
