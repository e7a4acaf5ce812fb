package au.com.backup247.agent.repo.store;

import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.destination.DestinationUrl;
import au.com.backup247.agent.destination.Destinations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Benchmark helper (not a test), run by {@code bench/destinations.sh}: uploads every file under a
 * folder to a destination the way a backup's uploader does — one put after the other, each file
 * whole from memory — and prints {@code <bytes> <seconds>} of the uploads alone (files are read
 * before the clock starts). {@code -Dpasses=N} repeats the uploads N times, a line each (the
 * later ones with the JIT warm).
 *
 * <pre>java -cp … au.com.backup247.agent.repo.store.UploadBench URL CREDENTIALS FOLDER</pre>
 */
public final class UploadBench {
  private UploadBench() {
  }

  public static void main(String[] args) throws Exception {
    DestinationUrl url = DestinationUrl.parse(args[0]);
    Credentials creds = Credentials.load(Path.of(args[1]));
    Path folder = Path.of(args[2]);
    List<Path> files;
    try (Stream<Path> s = Files.walk(folder)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    byte[][] data = new byte[files.size()][];
    long bytes = 0;
    for (int i = 0; i < data.length; i++) {
      data[i] = Files.readAllBytes(files.get(i));
      bytes += data[i].length;
    }
    try (Store store = Destinations.openBare(url, creds)) {
      store.put("warm-up", new byte[1]); // connect, log in, create the bucket or container
      int passes = Integer.getInteger("passes", 1);
      for (int pass = 1; pass <= passes; pass++) {
        long start = System.nanoTime();
        for (int i = 0; i < data.length; i++) {
          store.put("pass" + pass + "/" + folder.relativize(files.get(i)), data[i]);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d %.3f%n", bytes, secs);
      }
    }
  }
}
