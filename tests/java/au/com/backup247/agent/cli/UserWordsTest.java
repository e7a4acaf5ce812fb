package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.destination.DestinationUrl;
import au.com.backup247.agent.destination.Destinations;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, "Errors speak the user's language", as the CLI prints them: a set file that is not JSON
 * names the line, column and character; a file that cannot be read says why; an unknown host is
 * "host NAME not found", at once and without retries, for every kind of remote destination.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UserWordsTest {
  @TempDir
  Path dir;

  static final String HOST = "nonexistent.invalid";

  @Test
  void aSetFileThatIsNotJson_namesTheLineColumnAndCharacter() throws Exception {
    Path file = Files.writeString(dir.resolve("set.json"), "{\"name\": \"Docs\",\n  \"source\": {\"paths\": [\"/x\"],}}");
    CliRun.Result r = CliRun.b247("set", "create", "--file", file.toString(), "--home", dir.resolve("h").toString());
    assertEquals(2, r.exit(), r.all());
    assertTrue(r.err().contains(file + " line 2, column 30: unexpected '}' (expected a field name in double quotes"),
        r.all());
    assertFalse(r.all().contains("code 125") || r.all().contains("StreamReadFeature") || r.all().contains("decode"),
        r.all());
  }

  @Test
  void aFileThatCannotBeRead_saysWhy() throws Exception {
    Path nope = dir.resolve("nope.json");
    CliRun.Result r = CliRun.b247("set", "create", "--file", nope.toString(), "--home", dir.resolve("h").toString());
    assertEquals(2, r.exit(), r.all());
    assertTrue(r.err().contains("cannot read " + nope + ": no such file or folder"), r.all());
    Path locked = Files.writeString(dir.resolve("locked.json"), "{}");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    if (!Files.isReadable(locked)) { // root reads everything
      CliRun.Result denied = CliRun.b247("set", "create", "--file", locked.toString(), "--home",
          dir.resolve("h").toString());
      assertTrue(denied.err().contains("cannot read " + locked + ": permission denied"), denied.all());
    }
  }

  @Test
  void anUnknownHost_isNotFoundAndPermanentForEveryRemoteDestination() throws Exception {
    Map<String, String> urls = Map.of(
        "sftp://b247@" + HOST + "/backups", "password=Secret-Pa55\nhost-key-fingerprint=SHA256:"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
        "ftp://b247@" + HOST + "/backups", "password=Secret-Pa55\n",
        "s3://bucket/p?endpoint=http://" + HOST + ":9000&region=us-east-1", "access-key=AKIAEXAMPLE\nsecret-key=s3cret\n",
        "azure://devstoreaccount1/backups/p?endpoint=http://" + HOST + ":10000/devstoreaccount1",
        "account-key=" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
    int i = 0;
    for (Map.Entry<String, String> u : urls.entrySet()) {
      Path creds = Files.writeString(dir.resolve("creds" + i++), u.getValue());
      Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
      CliRun.Result t = CliRun.b247("repo", "test", "--repo", u.getKey(), "--credentials", creds.toString());
      assertEquals(1, t.exit(), u.getKey() + ":\n" + t.all());
      assertTrue(t.all().contains("host " + HOST + " not found"), u.getKey() + ":\n" + t.all());
      String ours = String.join("\n", t.all().lines().filter(l -> l.startsWith("b247:") || l.startsWith("connect"))
          .toList()); // the Azure SDK logs its own ConnectException lines
      assertFalse(ours.contains("Exception") || ours.contains("null"), u.getKey() + ":\n" + t.all());
      try (Store s = Destinations.openBare(DestinationUrl.parse(u.getKey()), Credentials.load(creds))) {
        StoreException e = assertThrows(StoreException.class, () -> s.list(""));
        assertFalse(e.isTransient(), u.getKey() + ": " + e.getMessage());
      }
    }
  }
}
