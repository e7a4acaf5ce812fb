package au.com.backup247.agent.repo.index;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File names as the exact bytes the file system holds (FORMAT.md §5, "names"). On Linux a name is
 * any byte string; Java shows it as a {@code String} decoded with the locale's charset, and two
 * names that are not valid UTF-8 (bytes {@code 0xFF} and {@code 0xFE}) both become U+FFFD. Here a
 * byte that is not part of valid UTF-8 becomes the lone surrogate U+DC80..U+DCFF (Python's
 * "surrogateescape"; lone: not the low half of a pair), which valid UTF-8 never decodes to, so the mapping is one to one; the index
 * stores those bytes as they are, so every name is stored exactly (as restic does).
 *
 * <p>Paths go from and to their bytes through {@code file:} URIs, whose percent escapes the JDK's
 * Unix file system maps byte for byte ({@code Path.toUri}, {@code Path.of(URI)}); the locale's
 * charset ({@code sun.jnu.encoding}, fixed at JVM start, not settable on the command line) then no
 * longer matters. Names that are valid UTF-8 take the plain {@code String} path, at no cost.
 */
public final class RawNames {
  private static final char ESCAPE = '\uDC00';
  /** True when the JVM decodes names as UTF-8: only names showing U+FFFD then need their bytes. */
  private static final boolean UTF8_NAMES = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding", "UTF-8"));

  private RawNames() {
  }

  /** True when {@code s} holds a byte that is not valid UTF-8 (an escape). */
  public static boolean hasEscapes(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isEscape(s, i)) {
        return true;
      }
    }
    return false;
  }

  /** A lone U+DC80..U+DCFF: the same chars are also the low half of valid pairs (U+10000 and up). */
  private static boolean isEscape(String s, int i) {
    char c = s.charAt(i);
    return c >= '\uDC80' && c <= '\uDCFF' && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
  }

  /** The bytes of a name or path: UTF-8, with each escape as its byte. */
  public static byte[] encode(String s) {
    if (!hasEscapes(s)) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length() + 8);
    int from = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || isEscape(s, i)) {
        out.writeBytes(s.substring(from, i).getBytes(StandardCharsets.UTF_8));
        if (i < s.length()) {
          out.write(s.charAt(i) - ESCAPE);
        }
        from = i + 1;
      }
    }
    return out.toByteArray();
  }

  /** The name of some bytes: UTF-8 where they are valid, an escape for every other byte. */
  public static String decode(byte[] b, int off, int len) {
    String plain = new String(b, off, len, StandardCharsets.UTF_8);
    if (plain.indexOf('\uFFFD') < 0) {
      return plain;
    }
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b, off, len);
    CharBuffer out = CharBuffer.allocate(len);
    while (true) {
      CoderResult r = d.decode(in, out, true);
      if (r.isUnderflow()) {
        break;
      }
      if (r.isOverflow()) {
        throw new IllegalStateException("a name never decodes to more chars than bytes");
      }
      for (int i = 0; i < r.length(); i++) {
        out.put((char) (ESCAPE + (in.get() & 0xFF)));
      }
    }
    d.flush(out);
    return out.flip().toString();
  }

  /** The stored form of a path (absolute or relative) with the exact bytes of its names. */
  public static String of(Path p) {
    String s = p.toString();
    if (UTF8_NAMES && s.indexOf('\uFFFD') < 0) {
      return s;
    }
    byte[] b = bytes(p);
    return decode(b, 0, b.length);
  }

  /** The exact bytes of a path, through its {@code file:} URI. */
  static byte[] bytes(Path p) {
    boolean abs = p.isAbsolute();
    Path a = abs ? p : p.getFileSystem().getPath("/").resolve(p);
    String raw = a.toUri().getRawPath();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        out.write(Integer.parseInt(raw, i + 1, i + 3, 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    byte[] b = out.toByteArray();
    int len = b.length;
    if (len > 1 && b[len - 1] == '/') {
      len--; // toUri marks folders with a trailing slash; a path never has one of its own
    }
    int start = abs ? 0 : 1;
    return java.util.Arrays.copyOfRange(b, start, Math.max(start, len));
  }

  /** The path with exactly the bytes of a stored path (absolute or relative). */
  public static Path path(String s) {
    if (UTF8_NAMES && !hasEscapes(s)) {
      return Path.of(s);
    }
    byte[] b = encode(s);
    boolean abs = b.length > 0 && b[0] == '/';
    StringBuilder uri = new StringBuilder(b.length * 3 + 8).append(abs ? "file://" : "file:///");
    for (byte x : b) {
      int c = x & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "/-._~".indexOf(c) >= 0) {
        uri.append((char) c);
      } else {
        uri.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
      }
    }
    Path p = Path.of(URI.create(uri.toString()));
    return abs || p.getNameCount() == 0 ? p : p.subpath(0, p.getNameCount());
  }
}
