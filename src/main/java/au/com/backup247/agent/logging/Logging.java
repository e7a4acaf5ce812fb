package au.com.backup247.agent.logging;

import au.com.backup247.agent.home.PrivateFiles;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Configures logging for a running agent: a rotating file {@code logs/agent.log} (size and day
 * based, bounded history) and, in the foreground, the console. Lines carry the thread and the MDC
 * context ({@code job=}, {@code set=}, {@code dest=} as later components set them).
 */
public final class Logging {
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} %mdc{}- %msg%n";

  private Logging() {
  }

  /** Routes Vert.x's own logging through SLF4J; call before the first Vert.x class loads. */
  public static void routeVertxToSlf4j() {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
  }

  /**
   * Levels for the destinations' libraries, for the agent and the CLI alike: the Azure SDK's JDK
   * HTTP adapter warns for every client that it drops the Content-Length it is given (harmless), and
   * the SDK logs every failed call at ERROR before throwing it, while the store's own error (naming
   * the destination and the reason) is what callers report or log.
   */
  static void quietDestinationLibraries(LoggerContext ctx) {
    ctx.getLogger("com.azure.core.http.jdk.httpclient").setLevel(Level.ERROR);
    ctx.getLogger("com.azure.storage.common.implementation.StorageImplUtils").setLevel(Level.OFF);
    ctx.getLogger("com.azure.storage.common.policy.RequestRetryPolicy").setLevel(Level.OFF);
  }

  public static void configure(Path logsDir, String level, int maxFileMb, int maxFiles, boolean console) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    // the mail client warns once per failed AUTH method; ReportsVerticle logs one line per failed email
    ctx.getLogger("io.vertx.ext.mail.impl.SMTPAuthentication").setLevel(Level.ERROR);
    quietDestinationLibraries(ctx);

    RollingFileAppender<ILoggingEvent> file = new PrivateFileAppender(logsDir);
    file.setContext(ctx);
    file.setName("file");
    file.setFile(logsDir.resolve("agent.log").toString());
    SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
    policy.setContext(ctx);
    policy.setParent(file);
    policy.setFileNamePattern(logsDir.resolve("agent.%d{yyyy-MM-dd}.%i.log.gz").toString());
    policy.setMaxFileSize(new FileSize((long) maxFileMb * FileSize.MB_COEFFICIENT));
    policy.setMaxHistory(maxFiles);
    policy.setTotalSizeCap(new FileSize((long) maxFileMb * maxFiles * FileSize.MB_COEFFICIENT));
    policy.start();
    file.setRollingPolicy(policy);
    file.setEncoder(encoder(ctx));
    file.start();
    root.addAppender(file);

    if (console) {
      ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
      out.setContext(ctx);
      out.setName("console");
      out.setEncoder(encoder(ctx));
      out.start();
      root.addAppender(out);
    }
    // third-party chatter stays at WARN unless the user asks for DEBUG/TRACE
    if (Level.toLevel(level).isGreaterOrEqual(Level.INFO)) {
      ctx.getLogger("io.netty").setLevel(Level.WARN);
      ctx.getLogger("io.vertx").setLevel(Level.WARN);
      ctx.getLogger("org.apache.sshd").setLevel(Level.WARN); // SFTP destinations: INFO per connection
    }
  }

  /**
   * Opens {@code agent.log} (at start and after each rollover) as a 0600 file, and restricts the
   * other files of {@code logs/} (archives of earlier rollovers) to 0600; {@code logs/} is 0700.
   */
  private static final class PrivateFileAppender extends RollingFileAppender<ILoggingEvent> {
    private final Path dir;

    PrivateFileAppender(Path dir) {
      this.dir = dir;
    }

    @Override
    public void openFile(String fileName) throws IOException {
      PrivateFiles.createFile(Path.of(fileName));
      super.openFile(fileName);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          PrivateFiles.restrict(p);
        }
      } catch (IOException e) {
        addWarn("cannot restrict the permissions of " + dir + ": " + e.getMessage());
      }
    }
  }

  private static PatternLayoutEncoder encoder(LoggerContext ctx) {
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(ctx);
    enc.setPattern(PATTERN);
    enc.start();
    return enc;
  }

  /** Flushes and stops all appenders (last thing before the JVM exits). */
  public static void shutdown() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
  }
}
