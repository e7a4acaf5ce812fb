package au.com.backup247.bench;

import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.MasterKey;
import au.com.backup247.agent.repo.crypto.ObjectSealer;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing and opening one 1 MiB blob per operation with {@link ObjectSealer} (FORMAT.md §3), so
 * {@code ops/s} is MiB/s per core. Each sealed blob uses a fresh nonce (the blob counter).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class CipherBench {

  @Param({"aes-256-gcm", "aes-128-gcm", "aes-256-cbc-hmac"})
  public String suite;

  private byte[] body;
  private byte[] sealed;
  private byte[] sealed2;
  private boolean flip;
  private byte[] id;
  private ObjectSealer sealer;
  private long nonce = 1000;

  @Setup
  public void setUp() {
    body = new byte[1024 * 1024];
    new Random(42).nextBytes(body);
    id = new byte[32];
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    sealer = ObjectSealer.create(CipherSuite.parse(suite), MasterKey.generate(new SecureRandom()), salt);
    sealed = sealer.seal(1, id, 28, body, 0, body.length);
    sealed2 = sealer.seal(1, id, 29, body, 0, body.length);
  }

  @Benchmark
  public byte[] seal() {
    return sealer.seal(1, id, nonce++, body, 0, body.length);
  }

  /** Alternates between two blobs, as a restore reads different blobs one after another. */
  @Benchmark
  public byte[] open() {
    flip = !flip;
    return flip ? sealer.open(1, id, 28, sealed, 0, sealed.length) : sealer.open(1, id, 29, sealed2, 0, sealed2.length);
  }
}
