package au.com.backup247.bench;

import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hashing throughput of one 1 MiB chunk per operation, single thread, with the JDK providers the
 * repository format uses: SHA-256 ({@link MessageDigest}, checksums and block names) and
 * HMAC-SHA-256 ({@link Mac}, chunk ids). One operation is one MiB, so the reported {@code ops/s}
 * <b>is MiB/s per core</b> (multiply by 1.048576 for MB/s).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class HashBench {

  private byte[] chunk;
  private MessageDigest sha256;
  private Mac hmacSha256;

  @Setup
  public void setUp() throws Exception {
    chunk = new byte[1024 * 1024];
    new Random(42).nextBytes(chunk);
    sha256 = MessageDigest.getInstance("SHA-256");
    byte[] key = new byte[32];
    new Random(7).nextBytes(key);
    hmacSha256 = Mac.getInstance("HmacSHA256");
    hmacSha256.init(new SecretKeySpec(key, "HmacSHA256"));
  }

  @Benchmark
  public byte[] sha256() {
    return sha256.digest(chunk);
  }

  @Benchmark
  public byte[] hmacSha256() {
    return hmacSha256.doFinal(chunk);
  }
}
