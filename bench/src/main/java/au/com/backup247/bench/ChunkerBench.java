package au.com.backup247.bench;

import au.com.backup247.agent.repo.chunk.Chunker;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chunker throughput over a 64 MiB buffer of seeded random data (the chunker's worst realistic case:
 * no long runs), one pass per invocation, single thread.
 *
 * <p>One pass is declared as 64 operations ({@link OperationsPerInvocation}), so one operation is
 * one MiB and the reported {@code ops/s} <b>is MiB/s per core</b> (multiply by 1.048576 for MB/s).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ChunkerBench.MIBS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ChunkerBench {

  static final int MIBS = 64;

  /** FastCDC average chunk size; min = avg / 4 and max = avg * 4, as the "Auto" defaults. */
  @Param({"1048576"})
  public int avg;

  private byte[] data;
  private Chunker fastCdc;
  private Chunker fixed;

  @Setup
  public void setUp() {
    data = new byte[MIBS * 1024 * 1024];
    new Random(42).nextBytes(data);
    byte[] gearKey = new byte[32];
    new Random(7).nextBytes(gearKey);
    fastCdc = Chunker.fastCdc(gearKey, avg / 4, avg, avg * 4);
    fixed = Chunker.fixed(avg);
  }

  @Benchmark
  public long fastCdc() {
    return pass(fastCdc, data);
  }

  @Benchmark
  public long fixed() {
    return pass(fixed, data);
  }

  /** Chunks the whole buffer as a caller holding all of it would; returns a checksum of the cuts. */
  private static long pass(Chunker c, byte[] buf) {
    long sum = 0;
    int pos = 0;
    while (pos < buf.length) {
      int n = c.nextCut(buf, pos, buf.length - pos);
      sum = sum * 31 + n;
      pos += n;
    }
    return sum;
  }
}
