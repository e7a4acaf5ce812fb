package au.com.backup247.agent.sets;

import static au.com.backup247.agent.sets.SetFixtures.DEFAULTS;
import static au.com.backup247.agent.sets.SetFixtures.full;
import static au.com.backup247.agent.sets.SetFixtures.minimal;
import static au.com.backup247.agent.sets.SetFixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.Filter;
import au.com.backup247.agent.bandwidth.BandwidthControl;
import au.com.backup247.agent.catalog.SetRow;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.retention.RetentionPolicy;
import au.com.backup247.agent.schedule.Decoded;
import au.com.backup247.agent.schedule.FieldError;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON round trips, defaults, and the rules that depend on the stored set. */
class SetJsonTest {

  private static SetSettings create(JsonObject json) {
    Decoded<SetJson.Create> d = SetJson.decodeCreate(json, DEFAULTS);
    assertTrue(d.isValid(), d.errors().toString());
    return d.value().orElseThrow().settings();
  }

  @Test
  void fullSet_roundTripsThroughItsJson() {
    SetSettings s = create(full("All"));
    JsonObject encoded = SetJson.encodeSettings(s);
    Decoded<SetSettings> again = SetJson.decodeUpdate(encoded, DEFAULTS, s.encryption());
    assertTrue(again.isValid(), again.errors().toString());
    assertEquals(s, again.value().orElseThrow());
    assertEquals(encoded, SetJson.encodeSettings(again.value().orElseThrow()));
  }

  @Test
  void storedRow_decodesToTheSameSet_andHoldsNeitherNameNorKey() {
    SetSettings s = create(full("All"));
    String stored = SetJson.storedForm(s);
    assertFalse(stored.contains("\"name\":\"All\""), stored);
    assertFalse(stored.contains("correct horse battery"), stored);
    Decoded<BackupSet> d = SetJson.decodeStored(new SetRow(7, "All", stored, 1, 2), DEFAULTS);
    assertTrue(d.isValid(), d.errors().toString());
    assertEquals(new BackupSet(7, 1, 2, s), d.value().orElseThrow());
  }

  @Test
  void minimalSet_getsTheGuidesDefaults() {
    SetSettings s = create(minimal("Docs"));
    assertEquals("host-1", s.owner());
    assertEquals(Path.of("/home/alice"), s.source().home());
    assertTrue(s.scheduleEnabled());
    assertEquals(List.of(), s.schedules());
    assertEquals(Destinations.Mode.SEQUENTIAL, s.destinations().mode());
    assertEquals(Deduplication.DEFAULT, s.deduplication());
    assertEquals(RetentionPolicy.DEFAULT, s.retention());
    assertEquals(BandwidthControl.OFF, s.bandwidth());
    assertEquals(Others.DEFAULT, s.others());
    assertEquals(CompressionSetting.FAST_LOCAL, s.others().compression());
    assertTrue(s.others().followLinks());
    assertEquals(Encryption.DEFAULT, s.encryption());
    assertEquals(CipherSuite.AES_256_GCM, s.encryption().cipher());
    assertNull(SetJson.decodeCreate(minimal("Docs"), DEFAULTS).value().orElseThrow().key());
  }

  @Test
  void encoding_writesEveryDefault_soAGetBodyCanBeSentBack() {
    JsonObject json = SetJson.encodeSettings(create(minimal("Docs")));
    for (String k : List.of("name", "owner", "source", "scheduleEnabled", "schedules", "destinations", "backupMode",
        "maxConcurrentDestinations", "deduplication", "retention", "preBackupCommands", "postBackupCommands",
        "bandwidth", "others", "encryption")) {
      assertTrue(json.containsKey(k), k);
    }
    assertEquals("auto", json.getJsonObject("deduplication").getString("blockSize"));
    assertEquals(new JsonObject("{\"enabled\":true,\"type\":\"default\",\"algorithm\":\"AES\",\"keyBits\":256,"
        + "\"mode\":\"gcm\"}"), json.getJsonObject("encryption"));
  }

  @Test
  void customKey_isTakenFromTheRequest() {
    Decoded<SetJson.Create> d = SetJson.decodeCreate(full("All"), DEFAULTS);
    assertEquals("correct horse battery", d.value().orElseThrow().key());
    Encryption e = d.value().get().settings().encryption();
    assertEquals(new Encryption(true, KeyType.CUSTOM, 128, Encryption.Mode.CBC), e);
    assertEquals(CipherSuite.AES_128_CBC_HMAC, e.cipher());
  }

  @Test
  void update_mayRepeatTheEncryption_butNotChangeIt() {
    SetSettings s = create(minimal("Docs"));
    JsonObject body = SetJson.encodeSettings(s);
    assertTrue(SetJson.decodeUpdate(body, DEFAULTS, s.encryption()).isValid());
    JsonObject noEncryption = body.copy();
    noEncryption.remove("encryption");
    assertEquals(s, SetJson.decodeUpdate(noEncryption, DEFAULTS, s.encryption()).value().orElseThrow());
    assertEquals(List.of("encryption.mode"), fields(SetJson.decodeUpdate(with(body, "encryption.mode", "cbc"),
        DEFAULTS, s.encryption())));
    assertEquals(List.of("encryption.keyBits"), fields(SetJson.decodeUpdate(with(body, "encryption.keyBits", 128),
        DEFAULTS, s.encryption())));
    assertEquals(List.of("encryption.enabled"), fields(SetJson.decodeUpdate(with(body, "encryption",
        new JsonObject().put("enabled", false)), DEFAULTS, s.encryption())));
    assertEquals(List.of("encryption.key"), fields(SetJson.decodeUpdate(with(body, "encryption.key", "new secret key"),
        DEFAULTS, s.encryption())));
  }

  private static List<String> fields(Decoded<?> d) {
    return d.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void shortcuts_resolveAgainstTheHome_beforeTheSelectedPaths() {
    Source src = create(full("All")).source();
    assertEquals(List.of(Path.of("/home/alice/Documents"), Path.of("/home/alice/Desktop"), Path.of("/srv/data"),
        Path.of("/etc/hosts")), src.selectedPaths());
    assertEquals(Path.of("/home/alice"), Shortcut.HOME.resolve(Path.of("/home/alice")));
  }

  @Test
  void filters_becomeTheEnginesFilters() {
    List<Filter> filters = create(full("All")).source().backupFilters();
    // the two excluded paths come first, then the set's filters in order
    assertEquals(Filter.Match.PATH, filters.get(0).match());
    assertEquals(Filter.Match.PATH, filters.get(1).match());
    assertEquals(Filter.Action.INCLUDE_ONLY, filters.get(2).action());
    assertFalse(Filter.included(filters, Path.of("/srv/data/cache"), true));
    assertTrue(Filter.included(filters, Path.of("/srv/data/cache2"), true));
    assertTrue(Filter.included(filters, Path.of("/srv/other/cache"), true), "only that path, not the name");
    Path desktop = Path.of("/home/alice/Desktop");
    assertTrue(Filter.included(filters, desktop.resolve("box"), false));
    assertFalse(Filter.included(filters, desktop.resolve("note.txt"), false));
    assertTrue(Filter.included(filters, desktop.resolve("folder"), true)); // files only
    assertFalse(Filter.included(filters, Path.of("/srv/data/a.tmp"), false));
    assertTrue(Filter.included(filters, Path.of("/srv/data/a.txt"), false));
  }

  @Test
  void bandwidthRates_convertToBytesPerSecond() {
    BandwidthControl b = create(full("All")).bandwidth();
    assertEquals(10L * 1024 * 1024 / 8, b.limits().get(0).rate().bytesPerSecond());
    assertEquals(100L * 1024 / 8, b.limits().get(1).rate().bytesPerSecond());
    assertNull(b.limits().get(0).period());
  }

  @Test
  void enumLabels_areCaseInsensitive_andEncodedInCanonicalForm() {
    JsonObject json = with(with(minimal("Docs"), "backupMode", "CONCURRENT"), "others.compression", "Fast-Local");
    JsonObject encoded = SetJson.encodeSettings(create(json));
    assertEquals("concurrent", encoded.getString("backupMode"));
    assertEquals("fast-local", encoded.getJsonObject("others").getString("compression"));
  }
}
