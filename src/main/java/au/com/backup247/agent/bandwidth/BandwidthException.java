package au.com.backup247.agent.bandwidth;

import au.com.backup247.agent.i18n.Messages;
import java.util.Arrays;
import java.util.List;

/**
 * A bandwidth setting cannot be used as given: a rate, mode or period that does not parse. The
 * message is one line for a person naming the bad value. A rate's or a mode's comes from the
 * message bundles ({@link #key()}, {@link #args()}), so a set's validation says it in the reader's
 * language under the field's name and the CLI says the same words after the option's name.
 * Callers treat it as a usage error.
 */
public final class BandwidthException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String key;
  private final List<String> args;

  private BandwidthException(String message, String key, List<String> args) {
    super(message);
    this.key = key;
    this.args = args;
  }

  /** The bundle message {@code key} with {@code args}. */
  static BandwidthException of(String key, Object... args) {
    List<String> text = Arrays.stream(args).map(String::valueOf).toList();
    return new BandwidthException(Messages.get("en", key, text.toArray()), key, text);
  }

  /** A message that is not from the bundles (English only). */
  static BandwidthException english(String message) {
    return new BandwidthException(message, null, List.of());
  }

  /** The bundle key of the message, or null when it is English only. */
  public String key() {
    return key;
  }

  /** The message's arguments, as text. */
  public List<String> args() {
    return args;
  }
}
