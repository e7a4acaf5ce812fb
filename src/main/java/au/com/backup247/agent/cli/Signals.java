package au.com.backup247.agent.cli;

/**
 * Signal handling for the daemon: a detached agent must survive the terminal that launched it
 * closing, so SIGHUP is ignored (on Linux it is also started in a new session with setsid).
 */
final class Signals {
  private Signals() {
  }

  @SuppressWarnings("restriction")
  static void ignoreHangup() {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sun.misc.SignalHandler.SIG_IGN);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // platform without SIGHUP (Windows): nothing to ignore
    }
  }
}
