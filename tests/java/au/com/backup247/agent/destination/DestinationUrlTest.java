package au.com.backup247.agent.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.destination.DestinationUrl.Scheme;
import java.net.URI;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DestinationUrlTest {

  /** Input, canonical form. */
  static Stream<Arguments> canonical() {
    String cwd = Path.of("").toAbsolutePath().toString();
    String me = System.getProperty("user.name");
    return Stream.of(
        Arguments.of("/srv/backup", "/srv/backup"),
        Arguments.of("/srv/backup/", "/srv/backup"),
        Arguments.of("/srv/./a/../backup", "/srv/backup"),
        Arguments.of("backup", cwd + "/backup"),
        Arguments.of("dir:with:colons", cwd + "/dir:with:colons"),
        Arguments.of("file:///srv/backup", "/srv/backup"),
        Arguments.of("FILE://localhost/srv/my%20backup", "/srv/my backup"),
        Arguments.of("sftp://backup@example.com:2222/srv/repo", "sftp://backup@example.com:2222/srv/repo"),
        Arguments.of("sftp://backup@Example.COM/srv/repo/", "sftp://backup@example.com:22/srv/repo"),
        Arguments.of("sftp://backup@host/~/repo", "sftp://backup@host:22/~/repo"),
        Arguments.of("sftp://backup@host", "sftp://backup@host:22/~"),
        Arguments.of("sftp://backup@host/", "sftp://backup@host:22/"),
        Arguments.of("sftp://host:22/x", "sftp://" + me + "@host:22/x"),
        Arguments.of("sftp://b%40k@[::1]:2200/x", "sftp://b%40k@[::1]:2200/x"),
        Arguments.of("ftp://host/pub/b", "ftp://anonymous@host:21/pub/b"),
        Arguments.of("ftp://host/%2Fsrv/b", "ftp://anonymous@host:21/%2Fsrv/b"),
        Arguments.of("ftp://host/%2f", "ftp://anonymous@host:21/%2F"),
        Arguments.of("ftp://host", "ftp://anonymous@host:21/"),
        Arguments.of("ftp://host/", "ftp://anonymous@host:21/"),
        Arguments.of("ftps://user@10.0.0.2:990/~/b", "ftps://user@10.0.0.2:990/b"),
        Arguments.of("s3://my-bucket", "s3://my-bucket"),
        Arguments.of("s3://my-bucket/pc1/", "s3://my-bucket/pc1"),
        Arguments.of("s3://my.bucket/a/b?region=eu-west-1", "s3://my.bucket/a/b?region=eu-west-1"),
        Arguments.of("s3://bkt/p?region=us-east-1&endpoint=http://127.0.0.1:9000",
            "s3://bkt/p?endpoint=http://127.0.0.1:9000&region=us-east-1"),
        Arguments.of("s3://bkt?endpoint=https://s3.wasabisys.com&style=virtual",
            "s3://bkt?endpoint=https://s3.wasabisys.com&style=virtual"),
        Arguments.of("s3://bkt?style=path", "s3://bkt?style=path"),
        Arguments.of("s3://bkt?endpoint=http://h:9000&style=path", "s3://bkt?endpoint=http://h:9000"),
        Arguments.of("azure://acct/box/pc1?endpoint=http://127.0.0.1:10000/acct",
            "azure://acct/box/pc1?endpoint=http://127.0.0.1:10000/acct"),
        Arguments.of("azure://acct/box", "azure://acct/box"),
        Arguments.of("s3://bkt/p?proxy=http://proxy.example:3128/&region=eu-west-1",
            "s3://bkt/p?region=eu-west-1&proxy=http://proxy.example:3128"),
        Arguments.of("azure://acct/box?proxy=http://10.0.0.1&endpoint=http://127.0.0.1:10000/acct",
            "azure://acct/box?endpoint=http://127.0.0.1:10000/acct&proxy=http://10.0.0.1:80"));
  }

  @ParameterizedTest
  @MethodSource("canonical")
  void parse_printsTheCanonicalForm_andReadsItBack(String input, String expected) {
    DestinationUrl u = DestinationUrl.parse(input);
    assertEquals(expected, u.toString());
    assertEquals(u, DestinationUrl.parse(u.toString()), "round trip of " + u);
  }

  @Test
  void sftp_fields() {
    DestinationUrl u = DestinationUrl.parse("sftp://backup@host.example:2222/srv/repo");
    assertEquals(Scheme.SFTP, u.scheme());
    assertEquals("backup", u.user());
    assertEquals("host.example", u.host());
    assertEquals(2222, u.port());
    assertEquals("/srv/repo", u.root());
    assertFalse(u.isLocal());
    assertEquals("repo", DestinationUrl.parse("sftp://b@h/~/repo").root());
    assertEquals("", DestinationUrl.parse("sftp://b@h").root());
    assertEquals("::1", DestinationUrl.parse("sftp://b@[::1]/x").host());
  }

  @Test
  void ftp_defaultsToAnonymousOnPort21_andFtpsIsItsOwnScheme() {
    DestinationUrl f = DestinationUrl.parse("ftp://h/x");
    assertEquals(Scheme.FTP, f.scheme());
    assertEquals("anonymous", f.user());
    assertEquals(21, f.port());
    assertEquals(Scheme.FTPS, DestinationUrl.parse("ftps://u@h/x").scheme());
  }

  /** RFC 1738 and curl: an FTP URL's path is relative to the login folder; %2F makes it absolute. */
  @Test
  void ftp_pathIsRelativeToTheLoginFolder_andAbsoluteWithAnEncodedSlash() {
    assertEquals("backups", DestinationUrl.parse("ftp://u@h/backups").root());
    assertEquals("backups/pc1", DestinationUrl.parse("ftp://u@h/backups/pc1/").root());
    assertEquals("/srv/backups", DestinationUrl.parse("ftp://u@h/%2Fsrv/backups").root());
    assertEquals("/srv/backups", DestinationUrl.parse("ftps://u@h/%2F/srv/backups").root());
    assertEquals("/", DestinationUrl.parse("ftp://u@h/%2F").root());
    assertEquals("", DestinationUrl.parse("ftp://u@h/").root());
    assertEquals("/srv/backups", DestinationUrl.parse("sftp://u@h/srv/backups").root(), "SFTP paths stay absolute");
  }

  @Test
  void s3_pathStyleWhenAnEndpointIsGiven_virtualOtherwise_unlessForced() {
    DestinationUrl e = DestinationUrl.parse("s3://bkt/a/b?endpoint=http://127.0.0.1:9000&region=us-east-1");
    assertEquals("bkt", e.bucket());
    assertEquals("a/b", e.prefix());
    assertEquals(URI.create("http://127.0.0.1:9000"), e.endpoint());
    assertEquals("us-east-1", e.region());
    assertTrue(e.pathStyle());
    DestinationUrl aws = DestinationUrl.parse("s3://bkt");
    assertFalse(aws.pathStyle());
    assertNull(aws.endpoint());
    assertNull(aws.region());
    assertEquals("", aws.prefix());
    assertFalse(DestinationUrl.parse("s3://bkt?endpoint=http://h&style=virtual").pathStyle());
    assertTrue(DestinationUrl.parse("s3://bkt?style=PATH").pathStyle());
  }

  @Test
  void azure_fields() {
    DestinationUrl a = DestinationUrl.parse("azure://acct/box/pc1/x?endpoint=http://127.0.0.1:10000/acct");
    assertEquals(Scheme.AZURE, a.scheme());
    assertEquals("acct", a.account());
    assertEquals("box", a.container());
    assertEquals("pc1/x", a.prefix());
    assertEquals(URI.create("http://127.0.0.1:10000/acct"), a.endpoint());
    assertNull(a.proxy());
    DestinationUrl p = DestinationUrl.parse("azure://acct/box?proxy=http://proxy.example:3128");
    assertEquals("proxy.example", p.proxy().host());
    assertEquals(3128, p.proxy().port());
    assertFalse(p.proxy().hasLogin(), "the login comes from the credentials file");
  }

  @Test
  void local_fields() {
    DestinationUrl l = DestinationUrl.parse("file:///srv/b");
    assertTrue(l.isLocal());
    assertEquals(Path.of("/srv/b"), l.localPath());
    assertEquals(DestinationUrl.local(Path.of("/srv/b")), l);
  }

  /** Input, a part the one-line error must contain. */
  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("", "empty"),
        Arguments.of("   ", "empty"),
        Arguments.of("/a\nb", "control character"),
        Arguments.of("gopher://h/x", "unknown destination scheme \"gopher\""),
        Arguments.of("sftp:host:/x", "is not a URL: write sftp://"),
        Arguments.of("s3:bucket", "is not a URL: write s3://"),
        Arguments.of("1abc://x", "bad scheme"),
        Arguments.of("file://server/share", "host \"server\""),
        Arguments.of("file://", "no path"),
        Arguments.of("file:///x?y=1", "unknown query parameter \"y\""),
        Arguments.of("sftp:///srv", "no host"),
        Arguments.of("sftp://u@:22/srv", "no host"),
        Arguments.of("sftp://u@ho st/srv", "bad host \"ho st\""),
        Arguments.of("sftp://u@[::1/srv", "closing ']'"),
        Arguments.of("sftp://u@[zz]/srv", "bad IPv6 host"),
        Arguments.of("sftp://u@h:abc/srv", "bad port \"abc\""),
        Arguments.of("sftp://u@h:/srv", "bad port \"\""),
        Arguments.of("sftp://u@h:0/srv", "port 0 is out of range"),
        Arguments.of("sftp://u@h:65536/srv", "port 65536 is out of range"),
        Arguments.of("sftp://u@h:123456/srv", "bad port"),
        Arguments.of("sftp://@h/srv", "empty user"),
        Arguments.of("sftp://u@h/a//b", "bad path"),
        Arguments.of("sftp://u@h/a/../b", "bad path"),
        Arguments.of("sftp://u@h/a%zz", "bad %-escape in the path"),
        Arguments.of("sftp://u@h/a#frag", "'#' is not allowed"),
        Arguments.of("sftp://u@h/a?x=1", "unknown query parameter \"x\" (sftp URLs take none)"),
        Arguments.of("ftp://u@h:99999/x", "port 99999 is out of range"),
        Arguments.of("s3://", "no bucket"),
        Arguments.of("s3://ab", "bad bucket name \"ab\""),
        Arguments.of("s3://My_Bucket", "bad bucket name \"My_Bucket\""),
        Arguments.of("s3://-bucket", "bad bucket name"),
        Arguments.of("s3://a..b", "bad bucket name"),
        Arguments.of("s3://192.168.1.1", "bad bucket name"),
        Arguments.of("s3://bucket:9000/x", "a port belongs in ?endpoint="),
        Arguments.of("s3://user@bucket", "s3 URL takes no user"),
        Arguments.of("s3://bkt/a//b", "bad prefix"),
        Arguments.of("s3://bkt?endpoint=ftp://h", "must start with http:// or https://"),
        Arguments.of("s3://bkt?endpoint=http://", "bad endpoint \"http://\""),
        Arguments.of("s3://bkt?endpoint=http:/x", "has no host"),
        Arguments.of("s3://bkt?endpoint=http://u:p@h", "must not hold a user or password"),
        Arguments.of("s3://bkt?region=EU WEST", "bad region"),
        Arguments.of("s3://bkt?style=sideways", "bad style \"sideways\""),
        Arguments.of("s3://bkt?bucket=x", "unknown query parameter \"bucket\" (known: endpoint, region, style, proxy)"),
        Arguments.of("s3://bkt?region=a&region=b", "\"region\" is given twice"),
        Arguments.of("s3://bkt?region", "\"region\" has no value"),
        Arguments.of("azure://", "no account"),
        Arguments.of("azure://Acct/box", "bad account name \"Acct\""),
        Arguments.of("azure://acct", "no container"),
        Arguments.of("azure://acct/Box", "bad container name \"Box\""),
        Arguments.of("azure://acct/a--b", "bad container name"),
        Arguments.of("azure://acct/box?region=x", "unknown query parameter \"region\" (known: endpoint, proxy)"),
        Arguments.of("s3://bkt?proxy=socks5://h:1080", "s3 URL: bad proxy: HTTP proxy \"socks5://h:1080\" must look "
            + "like http://host:port"),
        Arguments.of("azure://acct/box?proxy=http://h:3128/x", "azure URL: bad proxy"),
        Arguments.of("sftp://u@h/x?proxy=http://h:3128", "unknown query parameter \"proxy\""));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void parse_refusesWithAOneLineErrorNamingTheBadPart(String input, String expected) {
    DestinationException e = assertThrows(DestinationException.class, () -> DestinationUrl.parse(input));
    assertTrue(e.getMessage().contains(expected), "\"" + e.getMessage() + "\" should contain \"" + expected + "\"");
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  /** Input with a secret; the secret itself. */
  static Stream<Arguments> secrets() {
    return Stream.of(
        Arguments.of("sftp://backup:hunter2@host/srv", "hunter2"),
        Arguments.of("ftp://u:hunter2@host/x", "hunter2"),
        Arguments.of("ftps://u:@host/x", "u:@"),
        Arguments.of("s3://AKIAEXAMPLE:wJalrXUtnFEMI@bucket/x", "wJalrXUtnFEMI"),
        Arguments.of("azure://acct:c2VjcmV0@acct/box", "c2VjcmV0"),
        Arguments.of("s3://bkt?secret-key=wJalrXUtnFEMI", "wJalrXUtnFEMI"),
        Arguments.of("azure://acct/box?sig=c2VjcmV0", "c2VjcmV0"),
        Arguments.of("sftp://u@h/x?password=hunter2", "hunter2"),
        Arguments.of("s3://bkt?proxy=http://pu:proxyPa55@proxy:3128", "proxyPa55"),
        Arguments.of("azure://acct/box?proxy-password=proxyPa55", "proxyPa55"),
        Arguments.of("azure://acct/box?account-key=c2VjcmV0", "c2VjcmV0"));
  }

  @ParameterizedTest
  @MethodSource("secrets")
  void secretsInUrls_areRefused_pointingToTheCredentialsFile_withoutEchoingThem(String input, String secret) {
    DestinationException e = assertThrows(DestinationException.class, () -> DestinationUrl.parse(input));
    assertTrue(e.getMessage().contains("credentials file"), e.getMessage());
    assertFalse(e.getMessage().contains(secret), e.getMessage());
  }

  @Test
  void userPart_isDecoded_andEncodedAgain() {
    DestinationUrl u = DestinationUrl.parse("sftp://me%40corp@h/x%20y");
    assertEquals("me@corp", u.user());
    assertEquals("/x y", u.root());
    assertEquals("sftp://me%40corp@h:22/x%20y", u.toString());
  }

  @Test
  void equality_followsTheCanonicalForm() {
    assertEquals(DestinationUrl.parse("sftp://u@H:22/x/"), DestinationUrl.parse("sftp://u@h/x"));
    assertEquals(DestinationUrl.parse("sftp://u@h/x").hashCode(), DestinationUrl.parse("sftp://u@h:22/x").hashCode());
    assertFalse(DestinationUrl.parse("ftp://u@h/x").equals(DestinationUrl.parse("ftps://u@h/x")));
  }

  @Test
  void resolve_givesTheFolderOfASet_keepingLoginEndpointAndQuery() {
    assertEquals("/srv/usb/17", DestinationUrl.parse("/srv/usb/").resolve("17").toString());
    assertEquals("sftp://u@h:22/srv/b/17", DestinationUrl.parse("sftp://u@h/srv/b").resolve("17").toString());
    assertEquals("sftp://u@h:22/~/17", DestinationUrl.parse("sftp://u@h").resolve("17").toString());
    assertEquals("ftp://anonymous@host:21/pub/17", DestinationUrl.parse("ftp://host/pub/").resolve("17").toString());
    assertEquals(DestinationUrl.parse("s3://bkt/p/17?endpoint=http://127.0.0.1:9000&region=us-east-1"),
        DestinationUrl.parse("s3://bkt/p?region=us-east-1&endpoint=http://127.0.0.1:9000").resolve("17"));
    assertEquals(DestinationUrl.parse("s3://bkt/17"), DestinationUrl.parse("s3://bkt").resolve("17"));
    for (String bad : new String[] {"", "a/b", ".", ".."}) {
      assertThrows(IllegalArgumentException.class, () -> DestinationUrl.parse("/srv").resolve(bad), bad);
    }
  }
}
