package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.home.PrivateFiles;
import au.com.backup247.agent.repo.crypto.RecoveryEnvelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code b247 recovery keygen --out DIR}: the administrator's encryption recovery key pair (guide
 * ch. 9.1.4): RSA-3072, {@code DIR/recovery-public.pem} for agent.json
 * {@code encryptionRecovery.publicKeyFile} and {@code DIR/recovery-private.pem} (0600) for
 * {@code b247 repo recover-key}, to be kept offline. Runs without an agent.
 */
@Command(name = "recovery", mixinStandardHelpOptions = true,
    description = "Encryption recovery: the key pair a lost backup set key can be recovered with.",
    subcommands = {RecoveryCommand.Keygen.class, CommandLine.HelpCommand.class})
final class RecoveryCommand implements Runnable {
  static final String PUBLIC = "recovery-public.pem";
  static final String PRIVATE = "recovery-private.pem";

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = "Make a recovery key pair (RSA-3072) in DIR: " + PUBLIC + " and " + PRIVATE + " (0600).")
  static final class Keygen implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write the pair to.")
    Path out;

    @Override
    public Integer call() throws IOException {
      Path pub = out.resolve(PUBLIC);
      Path priv = out.resolve(PRIVATE);
      for (Path p : new Path[] {pub, priv}) {
        if (Files.exists(p)) {
          throw new AgentException(Failure.BAD_REQUEST, p + " exists; not overwriting a recovery key (choose "
              + "another --out)");
        }
      }
      KeyPair kp = RecoveryEnvelope.generate(new SecureRandom());
      PrivateFiles.createDir(out);
      if (!PrivateFiles.writeNew(priv, RecoveryEnvelope.pem(kp.getPrivate()))) {
        throw new AgentException(Failure.BAD_REQUEST, priv + " exists; not overwriting a recovery key");
      }
      Files.write(pub, RecoveryEnvelope.pem(kp.getPublic()));
      System.out.println("recovery public key:  " + pub + " (SHA-256 "
          + RecoveryEnvelope.hex(RecoveryEnvelope.recipient(kp.getPublic())) + ")");
      System.out.println("recovery private key: " + priv);
      System.out.println("Keep the private key OFFLINE (e.g. on a USB stick in a safe), never on the agent's machine:");
      System.out.println("whoever holds it can recover the key of every backup set sealed to it.");
      System.out.println("To use it, copy the public key to the agent and set in its agent.json:");
      System.out.println("  \"encryptionRecovery\": { \"publicKeyFile\": \"/path/to/" + PUBLIC + "\" }");
      return 0;
    }
  }
}
