package au.com.backup247.bench;

import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.compress.Compressor;
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
 * Compression of one 1 MiB chunk per operation with the repository's {@link Compressor} (so
 * {@code ops/s} is MiB/s per core), for each setting, on text-like data (compressible) and on
 * random data (where "fast-local" should store without trying and the others fall back to stored).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class CodecBench {

  @Param({"normal", "fast", "fast-local"})
  public String setting;

  @Param({"text", "random"})
  public String data;

  private byte[] chunk;
  private byte[] body;
  private Compressor compressor;

  @Setup
  public void setUp() {
    chunk = new byte[1024 * 1024];
    Random r = new Random(42);
    if (data.equals("random")) {
      r.nextBytes(chunk);
    } else {
      String[] words = {"backup", "restore", "block", "index", "the", "of", "and", "file", "folder", "job", "\n"};
      int i = 0;
      while (i < chunk.length) {
        byte[] w = (words[r.nextInt(words.length)] + " ").getBytes();
        int n = Math.min(w.length, chunk.length - i);
        System.arraycopy(w, 0, chunk, i, n);
        i += n;
      }
    }
    compressor = Compressor.of(CompressionSetting.parse(setting));
    body = compressor.body(chunk, 0, chunk.length);
  }

  @Benchmark
  public byte[] compress() {
    return compressor.body(chunk, 0, chunk.length);
  }

  @Benchmark
  public byte[] decompress() {
    return Compressor.decode(body, 0, body.length, chunk.length);
  }
}
