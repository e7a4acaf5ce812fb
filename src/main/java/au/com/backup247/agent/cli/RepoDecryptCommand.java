package au.com.backup247.agent.cli;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.restore.BlockScan;
import au.com.backup247.agent.restore.RestoreEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code b247 repo decrypt}: plain files from the block files alone (guide ch. 9.9.4), no index needed. */
@Command(name = "decrypt", mixinStandardHelpOptions = true, description = {
    "Turn the repository's blocks folder into plain files with only the key, without using the index",
    "(newest version of every file found in the blocks)."})
final class RepoDecryptCommand implements Callable<Integer> {
  @Mixin
  RepoOptions repo;

  @Mixin
  RepoOptions.SetOption set;

  @Option(names = "--target", paramLabel = "DIR", required = true, description = "Folder to write the files into.")
  Path target;

  @Override
  public Integer call() throws IOException, InterruptedException {
    au.com.backup247.agent.repo.crypto.Warmup.startReading();
    try (Repository r = repo.open(set)) {
      JobLog log = RepoOptions.terminalLog(false);
      History h = BlockScan.scan(r, log);
      RestoreEngine.Summary s = new RestoreEngine(r, new RestoreEngine.Options(target, null, false, null, false,
          2 * Runtime.getRuntime().availableProcessors()), log).run(h);
      System.out.printf("decrypted %d files (%d bytes), %d folders, %d symlinks%s%n", s.files(), s.bytes(),
          s.folders(), s.symlinks(), s.failed() > 0 ? "; " + s.failed() + " FAILED" : "");
      return s.failed() > 0 || log.errors() > 0 ? 1 : 0;
    }
  }
}
