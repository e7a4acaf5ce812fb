package au.com.backup247.agent.schedule;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of decoding and validating a settings document: either a value and no errors, or
 * no value and at least one {@link FieldError}.
 *
 * @param value the decoded value, present only when {@code errors} is empty
 * @param errors every problem found (decoding does not stop at the first one)
 * @param <T> the decoded type
 */
public record Decoded<T>(Optional<T> value, List<FieldError> errors) {
  public Decoded {
    errors = List.copyOf(errors);
    if (value.isPresent() != errors.isEmpty()) {
      throw new IllegalArgumentException("exactly one of value and errors must be given");
    }
  }

  /** A result built from a candidate value and the errors found while building it. */
  public static <T> Decoded<T> of(T candidate, List<FieldError> errors) {
    return errors.isEmpty() ? new Decoded<>(Optional.of(candidate), errors)
        : new Decoded<>(Optional.empty(), errors);
  }

  public boolean isValid() {
    return errors.isEmpty();
  }
}
