package au.com.backup247.agent.cli;

import au.com.backup247.agent.bandwidth.Throttle;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.home.PrivateFiles;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.crypto.RecoveryEnvelope;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.error.WrongKeyException;
import au.com.backup247.agent.repo.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code b247 repo recover-key}: recovers a set's key from one of its repositories with the
 * administrator's recovery private key (guide ch. 9.1.4), offline: it reads the repository's
 * {@code recovery/<recipient>.rcv} (FORMAT.md §11), opens it, checks that the key opens the
 * repository and writes it as a key file for {@code repo restore --key-file} (0600, never over an
 * existing file), or prints it.
 */
@Command(name = "recover-key", mixinStandardHelpOptions = true, description = {
    "Recover a backup set's encryption key from its repository with the encryption recovery private key",
    "(b247 recovery keygen). The key file it writes works as --key-file of the other repo commands."})
final class RepoRecoverKeyCommand implements Callable<Integer> {
  @Mixin
  RepoOptions.Location location;

  @Mixin
  RepoOptions.SetOption set;

  @Option(names = "--private-key", paramLabel = "FILE", required = true,
      description = "The recovery private key (PEM, from b247 recovery keygen).")
  Path privateKey;

  @Option(names = "--out", paramLabel = "KEYFILE",
      description = "Where to write the recovered key (0600; must not exist). Default: print it.")
  Path out;

  @Override
  public Integer call() throws IOException {
    PrivateKey pk = RepoOptions.usageRepo(() -> RecoveryEnvelope.readPrivateKey(privateKey));
    byte[] recipient = RecoveryEnvelope.recipient(RecoveryEnvelope.publicKeyOf(pk));
    RepoLocator.Located at = RepoLocator.locate(location.url(), location.credentials(),
        Throttle.none(), set.value);
    Store store = at.store();
    RecoveryEnvelope.Content c;
    try {
      String path = RecoveryEnvelope.objectPath(recipient);
      if (!store.exists(path)) {
        List<String> there = store.list(RecoveryEnvelope.DIR).stream().map(Store.StoredObject::path).toList();
        throw new RepoException(there.isEmpty()
            ? "no recovery envelope in " + store.name() + ": the set's key was not sealed for recovery when it was "
                + "created (or this is not one of its repositories)"
            : store.name() + " holds recovery envelopes only for other recovery keys (" + String.join(", ", there)
                + "); this private key's is " + path);
      }
      c = RecoveryEnvelope.open(pk, store.get(path), store.name() + "/" + path);
    } catch (RuntimeException e) {
      RepoOptions.closeQuietly(store);
      throw e;
    }
    try (Repository r = RepoOptions.open(at, c.key())) {
      if (!r.config().setId().equals(c.setId())) {
        System.err.println("b247: note: the key is backup set " + c.setId() + "'s; the repository says set "
            + r.config().setId());
      }
    } catch (WrongKeyException e) {
      throw new RepoException("the recovered key of backup set " + c.setId() + " does not open " + store.name());
    }
    if (out == null) {
      System.out.println(c.key());
    } else if (!PrivateFiles.writeNew(out, (c.key() + "\n").getBytes(StandardCharsets.UTF_8))) {
      throw new AgentException(Failure.BAD_REQUEST, "--out " + out + " exists; not overwriting it");
    }
    System.err.println("recovered the " + c.keyType().label() + " key of backup set " + c.setId() + " from "
        + store.name() + (out == null ? "" : " into " + out + " (use it as --key-file)"));
    return 0;
  }
}
