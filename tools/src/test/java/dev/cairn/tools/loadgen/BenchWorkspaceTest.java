package dev.cairn.tools.loadgen;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchWorkspaceTest {
  @TempDir Path tmp;

  @Test
  void onlyATempDirWithoutKeepIsDeleted() {
    assertTrue(BenchWorkspace.deleteAtEnd(false, false));
    assertFalse(BenchWorkspace.deleteAtEnd(false, true));
    assertFalse(BenchWorkspace.deleteAtEnd(true, false));
    assertFalse(BenchWorkspace.deleteAtEnd(true, true));
  }

  @Test
  void aGivenWorkDirIsKeptAndItsLogsNamed() throws Exception {
    Path given = tmp.resolve("given");
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    try (BenchWorkspace w = BenchWorkspace.open(given, false, new PrintStream(text, true, StandardCharsets.UTF_8))) {
      Files.writeString(w.dir().resolve("node.log"), "x");
    }
    assertTrue(Files.exists(given.resolve("node.log")));
    assertTrue(text.toString(StandardCharsets.UTF_8).contains("kept work dir " + given));
  }

  @Test
  void theDeletionRemovesTheWholeTree() throws Exception {
    Path root = tmp.resolve("run");
    Files.createDirectories(root.resolve("node-0/db"));
    Files.writeString(root.resolve("node-0/db/000001.sst"), "data");
    Files.writeString(root.resolve("genesis.json"), "{}");
    BenchWorkspace.deleteTree(root);
    assertFalse(Files.exists(root));
    BenchWorkspace.deleteTree(root); // already gone: nothing to do
  }
}
