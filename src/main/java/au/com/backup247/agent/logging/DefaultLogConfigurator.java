package au.com.backup247.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logging before {@link Logging#configure} runs (CLI commands): warnings only, to stderr.
 * Programmatic rather than logback.xml because parsing XML costs about half a second of startup.
 */
public final class DefaultLogConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
    err.setContext(ctx);
    err.setName("stderr");
    err.setTarget("System.err");
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(ctx);
    enc.setPattern("%-5level %logger{20} - %msg%n");
    enc.start();
    err.setEncoder(enc);
    err.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(err);
    // SFTP destinations report their failures themselves; the SSH library's warnings about the
    // channels of a dropped connection would only repeat them
    ctx.getLogger("org.apache.sshd").setLevel(Level.ERROR);
    Logging.quietDestinationLibraries(ctx);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
