package au.com.backup247.agent.bus;

import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An expected failure with a code from {@link Failure} and a message meant for a person: it names
 * what was wrong (the field, file, port, destination). Printed without a stack trace.
 *
 * <p>A failure made with {@link #of} says its message with a key of the bundles
 * ({@code i18n/messages*.properties}): {@link #getMessage()} is English (logs, the CLI), and the API
 * answers {@link #message(String)} in the language of whoever asked. The key and arguments cross the
 * event bus with the failure ({@link KeyedReply}).
 */
public class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Failure failure;
  private final String key;
  private final transient List<String> args;

  public AgentException(Failure failure, String message) {
    this(failure, message, null, null, List.of());
  }

  public AgentException(Failure failure, String message, Throwable cause) {
    this(failure, message, cause, null, List.of());
  }

  AgentException(Failure failure, String message, Throwable cause, String key, List<String> args) {
    super(Objects.requireNonNull(message, "message"), cause, false, false);
    this.failure = Objects.requireNonNull(failure, "failure");
    this.key = key;
    this.args = List.copyOf(args);
  }

  /** A failure said by the bundle message {@code key} with {@code args} (as text). */
  public static AgentException of(Failure failure, String key, Object... args) {
    List<String> text = Arrays.stream(args).map(String::valueOf).toList();
    return new AgentException(failure, Messages.get("en", key, text.toArray()), null, key, text);
  }

  public Failure failure() {
    return failure;
  }

  /** The bundle key of the message, or null when the message is not from the bundles. */
  public String key() {
    return key;
  }

  /** The arguments of the bundle message. */
  public List<String> args() {
    return args;
  }

  /** The message in {@code language} (the English message when it is not from the bundles). */
  public String message(String language) {
    return key == null ? getMessage() : Messages.get(language, key, args.toArray());
  }

  /** The same failure as an event-bus reply failure (keyed ones keep their key and arguments). */
  public ReplyException toReply() {
    return key == null ? new ReplyException(ReplyFailure.RECIPIENT_FAILURE, failure.busCode(), getMessage())
        : new KeyedReply(failure, getMessage(), key, args);
  }

  /**
   * Maps any throwable (a coded {@link ReplyException}, an {@link AgentException}, a bus timeout,
   * or an unexpected error) to an {@link AgentException}.
   */
  public static AgentException from(Throwable t) {
    if (t instanceof AgentException a) {
      return a;
    }
    if (t instanceof ValidationReply v) {
      return new ValidationException(String.valueOf(v.getMessage()), v.fields());
    }
    if (t instanceof KeyedReply k) {
      return new AgentException(Failure.ofBusCode(k.failureCode()).orElse(Failure.INTERNAL),
          String.valueOf(k.getMessage()), null, k.key(), k.args());
    }
    if (t instanceof ReplyException r) {
      if (r.failureType() == ReplyFailure.TIMEOUT) {
        return new AgentException(Failure.TIMEOUT, "the service did not answer in time");
      }
      if (r.failureType() == ReplyFailure.NO_HANDLERS) {
        return new AgentException(Failure.UNAVAILABLE, "no service is deployed for this request");
      }
      Failure f = Failure.ofBusCode(r.failureCode()).orElse(Failure.INTERNAL);
      return new AgentException(f, String.valueOf(r.getMessage()));
    }
    return new AgentException(Failure.INTERNAL, "internal error: " + t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + t.getMessage()), t);
  }
}
