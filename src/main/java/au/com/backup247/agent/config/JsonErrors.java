package au.com.backup247.agent.config;

import io.vertx.core.json.DecodeException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON document that does not parse, said as a person would: {@code "set.json line 1, column 117:
 * unexpected '}' (expected a field name in double quotes)"}, without the parser's class names,
 * character codes or feature flags.
 */
public final class JsonErrors {
  private static final Pattern WHERE = Pattern.compile("line: (\\d+), column: (\\d+)");
  private static final Pattern CHAR = Pattern.compile("Unexpected character \\('(.+?)' \\(code \\d+\\)\\)(?::\\s*(.*))?");
  private static final Pattern TOKEN = Pattern.compile("Unrecognized token '(.*?)'.*");

  private JsonErrors() {
  }

  /** {@code "SOURCE line L, column C: what is wrong"} (without the place when the parser gave none). */
  public static String describe(String source, DecodeException e) {
    String at = at(e);
    return source + (at.startsWith("line ") ? " " : ": ") + at;
  }

  /** {@code "line L, column C: what is wrong"} (only what is wrong when the parser gave no place). */
  public static String at(DecodeException e) {
    String m = String.valueOf(e.getMessage());
    Matcher where = WHERE.matcher(m);
    return (where.find() ? "line " + where.group(1) + ", column " + where.group(2) + ": " : "") + what(m);
  }

  /** What is wrong, from the parser's message. */
  static String what(String message) {
    String m = message.startsWith("Failed to decode:") ? message.substring("Failed to decode:".length()) : message;
    int nl = m.indexOf('\n');
    m = (nl >= 0 ? m.substring(0, nl) : m).strip();
    Matcher c = CHAR.matcher(m);
    if (c.matches()) {
      String expected = expected(c.group(2));
      return "unexpected '" + c.group(1) + "'" + (expected.isEmpty() ? "" : " (" + expected + ")");
    }
    if (m.startsWith("Unexpected end-of-input")) {
      return "the text ends too early (a '}', ']' or '\"' is missing)";
    }
    Matcher t = TOKEN.matcher(m);
    if (t.matches()) {
      return "unexpected word '" + t.group(1) + "' (text must be in double quotes; true, false and null are the only "
          + "bare words)";
    }
    if (m.contains("Illegal unquoted character")) {
      return "a control character (such as a tab or a line break) inside a text in double quotes";
    }
    if (m.startsWith("Unexpected close marker")) {
      return "a closing bracket that does not match the opening one";
    }
    if (m.contains("trailing token") || m.contains("Trailing token")) {
      return "more text after the end of the document";
    }
    return m.isEmpty() ? "not valid JSON" : "not valid JSON (" + m.replaceAll("\\s*\\(code \\d+\\)", "") + ")";
  }

  private static String expected(String rest) {
    if (rest == null || rest.isBlank()) {
      return "";
    }
    String r = rest.strip();
    if (r.contains("double-quote to start field name")) {
      return "expected a field name in double quotes; is there a ',' too many before it?";
    }
    if (r.contains("comma to separate Object entries")) {
      return "expected ',' or '}' after a field's value";
    }
    if (r.contains("comma to separate Array entries")) {
      return "expected ',' or ']' after a value in a list";
    }
    if (r.contains("colon to separate field name and value")) {
      return "expected ':' after a field name";
    }
    if (r.contains("valid value")) {
      return "expected a value: a text in double quotes, a number, true, false, null, {...} or [...]";
    }
    return r.replace("was expecting", "expected");
  }
}
