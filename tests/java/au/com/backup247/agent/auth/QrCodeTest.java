package au.com.backup247.agent.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The rendered QR codes are read back with ZXing (an independent decoder): each rendering is parsed
 * into its module matrix, rasterised at 4 pixels per module and decoded, and must give the input.
 */
class QrCodeTest {
  private static final String URI = new Totp(Clock.systemUTC()).otpauthUri("B247 Agent", "alice@example.com",
      TotpTest.seed(Totp.Algorithm.SHA1));
  private static final Pattern RUN = Pattern.compile("M(\\d+),(\\d+)h(\\d+)v1h-(\\d+)z");

  @Test
  void svg_decodesToTheOtpauthUri() throws Exception {
    Result r = decode(fromSvg(QrCode.svg(URI)));
    assertEquals(URI, r.getText());
    assertTrue(Set.of("M", "Q", "H").contains(r.getResultMetadata().get(ResultMetadataType.ERROR_CORRECTION_LEVEL)),
        "error correction at least medium");
  }

  @Test
  void svg_isWellFormedWithAFourModuleBorder() throws Exception {
    String svg = QrCode.svg(URI);
    Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
    assertEquals("svg", root.getTagName());
    boolean[][] m = fromSvg(svg);
    for (int i = 0; i < m.length; i++) {
      for (int b = 0; b < QrCode.BORDER; b++) {
        assertTrue(!m[b][i] && !m[i][b] && !m[m.length - 1 - b][i] && !m[i][m.length - 1 - b], "border at " + i);
      }
    }
    assertTrue(m[QrCode.BORDER][QrCode.BORDER], "the finder pattern starts right after the border");
  }

  @Test
  void terminal_decodesToTheOtpauthUri_inExplicitColours() throws Exception {
    String t = QrCode.terminal(URI);
    List<String> lines = t.lines().toList();
    for (String line : lines) {
      assertTrue(line.startsWith(QrCode.DARK_ON_LIGHT) && line.endsWith(QrCode.RESET), line);
    }
    assertEquals(URI, decode(fromTerminal(lines)).getText());
  }

  @Test
  void longText_stillRoundTrips() throws Exception {
    String text = "otpauth://totp/" + "x".repeat(400) + "?secret=" + "A".repeat(103);
    assertEquals(text, decode(fromSvg(QrCode.svg(text))).getText());
    assertEquals(text, decode(fromTerminal(QrCode.terminal(text).lines().toList())).getText());
  }

  private static boolean[][] fromSvg(String svg) {
    Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) \\1\"").matcher(svg);
    assertTrue(box.find(), svg);
    int side = Integer.parseInt(box.group(1));
    boolean[][] m = new boolean[side][side];
    String d = svg.substring(svg.indexOf(" d=\"") + 4, svg.lastIndexOf('"'));
    for (String part : d.split(" ")) {
      Matcher run = RUN.matcher(part);
      assertTrue(run.matches(), part);
      int x = Integer.parseInt(run.group(1));
      int y = Integer.parseInt(run.group(2));
      assertEquals(run.group(3), run.group(4));
      for (int i = 0; i < Integer.parseInt(run.group(3)); i++) {
        m[y][x + i] = true;
      }
    }
    return m;
  }

  private static boolean[][] fromTerminal(List<String> lines) {
    int width = lines.get(0).length() - QrCode.DARK_ON_LIGHT.length() - QrCode.RESET.length();
    boolean[][] m = new boolean[lines.size() * 2][width];
    for (int row = 0; row < lines.size(); row++) {
      String cells = lines.get(row).substring(QrCode.DARK_ON_LIGHT.length(), QrCode.DARK_ON_LIGHT.length() + width);
      for (int x = 0; x < width; x++) {
        char c = cells.charAt(x);
        m[2 * row][x] = c == '█' || c == '▀';
        m[2 * row + 1][x] = c == '█' || c == '▄';
      }
    }
    return m;
  }

  private static Result decode(boolean[][] m) throws Exception {
    int scale = 4;
    int h = m.length * scale;
    int w = m[0].length * scale;
    int[] argb = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        argb[y * w + x] = m[y / scale][x / scale] ? 0xff000000 : 0xffffffff;
      }
    }
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, h, argb))));
  }
}
