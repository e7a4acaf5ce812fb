package au.com.backup247.agent.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Objects;

/**
 * An expected failure with a code from {@link Failure} and a message meant for a person: it names
 * what was wrong (the field, file, port, destination). Printed without a stack trace.
 */
public class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Failure failure;

  public AgentException(Failure failure, String message) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public AgentException(Failure failure, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause, false, false);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public Failure failure() {
    return failure;
  }

  /** The same failure as an event-bus reply failure. */
  public ReplyException toReply() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, failure.busCode(), getMessage());
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
