package au.com.backup247.agent.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.Console;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code --wait} of the job commands (backup, restore, free-space): follows a job's reports through
 * {@code GET /jobs/{id}} (its live {@code "progress"}) until they end, showing the progress, and
 * answers Ctrl-C.
 *
 * <p>On a terminal ({@link System#console()} present) one line is redrawn in place: a bar, percent,
 * files, bytes, rate, time left and the current file. Otherwise (a log, a pipe) a plain line is
 * printed when the progress changed and at least {@code every} seconds passed since the last one.
 *
 * <p>Ctrl-C while waiting: on a terminal it asks whether to cancel the job or leave it running; not on
 * a terminal (a script, a service) the job is left running, since a script stopping its own wait
 * should not also stop a backup. Either way it says which happened; the command then exits 130 when
 * the job was left running.
 */
final class JobWatch {
  /** Asks the agent to cancel the job. */
  interface Cancel {
    void run() throws InterruptedException;
  }

  /** Exit status when the wait was stopped with Ctrl-C and the job left running. */
  static final int LEFT_RUNNING = 130;
  static final long POLL_MS = 500;
  static final int BAR = 24;

  private final AgentApi api;
  private final PrintStream out;
  private final Console console;
  private final long everyMs;
  private final String what;
  private final Cancel cancel;
  private final AtomicBoolean interrupted = new AtomicBoolean();
  private boolean drawn;
  private int drawnWidth;
  private boolean cancelled;

  /**
   * @param what the job in words ("the backup of set \"docs\""), for the Ctrl-C question
   * @param cancel asks the agent to cancel the job (a failure is an exception with the agent's message);
   *     null when the job cannot be cancelled (Ctrl-C then leaves it running)
   * @param everySeconds seconds between plain lines when not on a terminal
   */
  JobWatch(AgentApi api, String what, Cancel cancel, int everySeconds) {
    this.api = api;
    this.out = System.out;
    this.console = System.console();
    this.what = what;
    this.cancel = cancel;
    this.everyMs = Math.max(0, everySeconds) * 1000L;
  }

  /** The final reports of {@code ids} (in order), or null when the wait was stopped and the job left running. */
  List<JsonObject> await(List<Long> ids) throws InterruptedException {
    Object handler = trapInterrupt();
    try {
      List<JsonObject> done = new ArrayList<>();
      long lastPrinted = 0;
      String lastLine = null;
      for (long id : ids) {
        while (true) {
          JsonObject r = api.get("jobs/" + id + "?logLimit=1");
          if (!"In progress".equals(r.getString("status"))) {
            done.add(r);
            break;
          }
          JsonObject p = r.getJsonObject("progress");
          if (p != null) {
            long now = System.currentTimeMillis();
            if (console != null) {
              draw(bar(p));
            } else {
              String line = plain(p);
              if (!line.equals(lastLine) && now - lastPrinted >= everyMs) {
                out.println(line);
                lastPrinted = now;
                lastLine = line;
              }
            }
          }
          Thread.sleep(POLL_MS);
          if (interrupted.getAndSet(false) && !cancelled && !askCancel()) {
            return null;
          }
        }
      }
      clear();
      return done;
    } finally {
      restore(handler);
    }
  }

  /** Whether the job was cancelled at the user's request while waiting. */
  boolean cancelled() {
    return cancelled;
  }

  /** Ctrl-C: true to go on waiting (the job was cancelled), false to leave it running. */
  private boolean askCancel() throws InterruptedException {
    clear();
    if (console != null && cancel != null) {
      String a = console.readLine("Cancel %s? [y = cancel it / N = leave it running] ", what);
      if (a != null && a.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
        cancel.run();
        cancelled = true;
        out.println("cancelling " + what + "; waiting for it to stop");
        return true;
      }
    }
    out.println(what + " is still running in the agent (not cancelled); follow it with `b247 report list`");
    return false;
  }

  private void draw(String line) {
    int width = 100;
    String l = line.length() > width - 1 ? line.substring(0, width - 2) + "…" : line;
    StringBuilder b = new StringBuilder("\r").append(l);
    for (int i = l.length(); i < drawnWidth; i++) {
      b.append(' ');
    }
    out.print(b);
    out.flush();
    drawn = true;
    drawnWidth = l.length();
  }

  /** Ends the redrawn line so that what follows starts on its own line. */
  private void clear() {
    if (drawn) {
      out.println();
      drawn = false;
      drawnWidth = 0;
    }
  }

  /** The terminal line: {@code [#####-----]  42% 120/300 files, 1.2 GiB of 3.0 GiB, 12 MiB/s, 0:15 left, sent ...: path}. */
  static String bar(JsonObject p) {
    Integer pct = p.getInteger("percent");
    StringBuilder b = new StringBuilder("[");
    int filled = pct == null ? 0 : pct * BAR / 100;
    for (int i = 0; i < BAR; i++) {
      b.append(i < filled ? '#' : pct == null ? '?' : '-');
    }
    b.append("] ").append(pct == null ? "  ?%" : String.format(Locale.ROOT, "%3d%%", pct)).append(' ');
    return b.append(counts(p)).toString();
  }

  /** The plain line: {@code 42% 120/300 files, 1.2 GiB of 3.0 GiB, 12 MiB/s, 0:15 left, sent NAS 1.0 GiB (5 MiB/s): path}. */
  static String plain(JsonObject p) {
    Integer pct = p.getInteger("percent");
    String step = p.getString("step");
    return (pct == null ? "" : pct + "% ") + counts(p) + (step == null ? "" : " — " + step);
  }

  private static String counts(JsonObject p) {
    StringBuilder b = new StringBuilder();
    if ("space-freeing".equals(p.getString("kind"))) {
      String stage = p.getString("stage");
      b.append(p.getString("phase", ""));
      if (stage != null) {
        Long total = p.getLong("filesTotal");
        b.append(", ").append(switch (stage) {
          case "repack" -> "repacking " + total + " block(s)";
          case "index" -> "rewriting the index";
          default -> "deleting " + p.getLong("files", 0L) + "/" + total + " objects";
        }).append(", ").append(bytes(p.getLong("bytes", 0L))).append(" freed");
      }
      return b.append(", ").append(duration(p.getLong("elapsedMs", 0L) / 1000)).append(" elapsed").toString();
    }
    Long filesTotal = p.getLong("filesTotal");
    Long bytesTotal = p.getLong("bytesTotal");
    b.append(p.getLong("files", 0L)).append(filesTotal == null ? "" : "/" + filesTotal).append(" files, ")
        .append(bytes(p.getLong("bytes", 0L))).append(bytesTotal == null ? "" : " of " + bytes(bytesTotal))
        .append(", ").append(bytes(p.getLong("bytesPerSecond", 0L))).append("/s");
    Long eta = p.getLong("etaSeconds");
    b.append(eta == null ? "" : ", " + duration(eta) + " left");
    JsonArray dests = p.getJsonArray("destinations", new JsonArray());
    if ("backup".equals(p.getString("kind")) && !dests.isEmpty()) {
      b.append(", sent");
      for (int i = 0; i < dests.size(); i++) {
        JsonObject d = dests.getJsonObject(i);
        b.append(i == 0 ? " " : ", ").append(d.getString("name")).append(' ')
            .append(bytes(d.getLong("bytesUploaded", 0L))).append(" (")
            .append(bytes(d.getLong("bytesPerSecond", 0L))).append("/s)");
      }
    }
    String file = p.getString("currentFile");
    return b.append(file == null ? "" : ": " + file).toString();
  }

  /** 1536 → "1.5 KiB". */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  }

  /** 75 → "1:15", 3675 → "1:01:15". */
  static String duration(long seconds) {
    long s = Math.max(0, seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /**
   * The lines that say why a job did not complete: its first error lines (else its first warnings),
   * from its report's log.
   */
  static List<String> reasons(AgentApi api, long id, int max) throws InterruptedException {
    List<String> lines = new ArrayList<>();
    for (String level : new String[] {"error", "warning"}) {
      JsonArray log = api.get("jobs/" + id + "?level=" + level + "&logLimit=" + max).getJsonArray("log",
          new JsonArray());
      for (int i = 0; i < log.size(); i++) {
        lines.add(log.getJsonObject(i).getString("message"));
      }
      if (!lines.isEmpty()) {
        break;
      }
    }
    return lines;
  }

  @SuppressWarnings("restriction")
  private Object trapInterrupt() {
    try {
      return sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> interrupted.set(true));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return null; // no SIGINT here: Ctrl-C ends the command as usual
    }
  }

  @SuppressWarnings("restriction")
  private static void restore(Object handler) {
    if (handler instanceof sun.misc.SignalHandler h) {
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
    }
  }
}
