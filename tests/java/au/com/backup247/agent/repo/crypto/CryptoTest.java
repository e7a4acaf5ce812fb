package au.com.backup247.agent.repo.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.error.CorruptDataException;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.error.WrongKeyException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** FORMAT.md §1 (cipher registry), §2 (keys) and §3 (sealing one blob). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CryptoTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final int DATA = 1;
  private static final int FILE = 2;

  private final SecureRandom random = new SecureRandom();
  private final MasterKey mk = MasterKey.of(bytes(32, 7));

  // ---- KDFs ----------------------------------------------------------------------------------

  @Test
  void hkdf_matchesRfc5869TestCase1() {
    byte[] ikm = filled(22, 0x0b);
    byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
    byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    assertEquals(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        HEX.formatHex(Kdf.hkdf(ikm, salt, info, 42)));
  }

  @Test
  void hkdf_matchesRfc5869TestCase3_withNullOrEmptySaltAndEmptyInfo() {
    String okm =
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8";
    assertEquals(okm, HEX.formatHex(Kdf.hkdf(filled(22, 0x0b), null, "", 42)));
    assertEquals(okm, HEX.formatHex(Kdf.hkdf(filled(22, 0x0b), new byte[0], "", 42)));
  }

  @Test
  void hkdf_agreesWithBouncyCastle_forTheFormatsAsciiLabels() {
    byte[] ikm = bytes(32, 1);
    for (String info : List.of("b247/v1/chunk-id", "b247/v1/object", "b247/v1/kek")) {
      for (byte[] salt : Arrays.asList(null, bytes(16, 2))) {
        assertArrayEquals(bcHkdf(ikm, salt, info, 32), Kdf.hkdf(ikm, salt, info, 32), info);
      }
    }
  }

  @Test
  void argon2id_matchesTheReferenceImplementationVectors() {
    // phc-winner-argon2 src/test.c, Argon2id v=0x13, password "password", salt "somesalt", 32 bytes
    byte[] pw = "password".getBytes(StandardCharsets.US_ASCII);
    byte[] salt = "somesalt".getBytes(StandardCharsets.US_ASCII);
    assertEquals(
        "9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe",
        HEX.formatHex(Kdf.argon2id(pw, salt, 256, 2, 1, 32)));
    assertEquals(
        "6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037",
        HEX.formatHex(Kdf.argon2id(pw, salt, 256, 2, 2, 32)));
    assertEquals(
        "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7",
        HEX.formatHex(Kdf.argon2id(pw, salt, 65536, 2, 1, 32)));
  }

  @Test
  void argon2id_refusesParametersOutOfRange_withRepoException() {
    byte[] pw = bytes(8, 1);
    byte[] salt = bytes(16, 2);
    assertThrows(RepoException.class, () -> Kdf.argon2id(pw, salt, 4, 1, 1, 32));
    assertThrows(RepoException.class, () -> Kdf.argon2id(pw, salt, 1024, 0, 1, 32));
    assertThrows(RepoException.class, () -> Kdf.argon2id(pw, salt, 1024, 1, 0, 32));
    assertThrows(RepoException.class, () -> Kdf.argon2id(pw, salt, Integer.MAX_VALUE, 1, 1, 32));
    assertThrows(RepoException.class, () -> Kdf.argon2id(pw, bytes(4, 2), 1024, 1, 1, 32));
  }

  // ---- CipherSuite / KeyType -----------------------------------------------------------------

  @Test
  void cipherSuite_idsLabelsAndSizesFollowTheRegistry() {
    assertEquals(List.of(0, 1, 2, 3, 4),
        Arrays.stream(CipherSuite.values()).map(CipherSuite::id).toList());
    assertEquals(List.of("none", "aes-256-gcm", "aes-128-gcm", "aes-256-cbc-hmac", "aes-128-cbc-hmac"),
        Arrays.stream(CipherSuite.values()).map(CipherSuite::label).toList());
    assertEquals(List.of(0, 32, 16, 32, 16),
        Arrays.stream(CipherSuite.values()).map(CipherSuite::keyBytes).toList());
    assertEquals(List.of(16, 16, 16, 64, 64),
        Arrays.stream(CipherSuite.values()).map(CipherSuite::maxOverhead).toList());
    for (CipherSuite s : CipherSuite.values()) {
      assertSame(s, CipherSuite.ofId(s.id()));
      assertSame(s, CipherSuite.parse(s.label()));
      assertSame(s, CipherSuite.parse(" " + s.label().toUpperCase() + " "));
    }
  }

  @Test
  void cipherSuite_unknownId_isNamed() {
    RepoException e = assertThrows(RepoException.class, () -> CipherSuite.ofId(9));
    assertEquals("unknown cipher id 9", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ecb", "aes-ecb", "AES-256-ECB", "aes/ecb/pkcs5padding"})
  void cipherSuite_parse_refusesEcb_explainingThatItLeaksStructure(String label) {
    RepoException e = assertThrows(RepoException.class, () -> CipherSuite.parse(label));
    String m = e.getMessage();
    assertTrue(m.contains("refused"), m);
    assertTrue(m.contains("equal"), m);
    assertTrue(m.contains("structure"), m);
    assertTrue(m.contains("aes-256-gcm"), m);
  }

  @Test
  void cipherSuite_parse_unknownLabel_listsTheAllowedOnes() {
    RepoException e = assertThrows(RepoException.class, () -> CipherSuite.parse("chacha20"));
    assertTrue(e.getMessage().contains("chacha20"), e.getMessage());
    for (CipherSuite s : CipherSuite.values()) {
      assertTrue(e.getMessage().contains(s.label()), e.getMessage());
    }
  }

  @Test
  void keyType_parsesItsLabels_andNamesTheAllowedOnes() {
    for (KeyType k : KeyType.values()) {
      assertSame(k, KeyType.parse(k.label()));
    }
    assertEquals("default", KeyType.DEFAULT.label());
    RepoException e = assertThrows(RepoException.class, () -> KeyType.parse("pin"));
    assertTrue(e.getMessage().contains("default, password, custom"), e.getMessage());
  }

  // ---- MasterKey -----------------------------------------------------------------------------

  @Test
  void masterKey_derivesEachKeyWithHkdfAndItsLabel() {
    byte[] raw = bytes(32, 7);
    assertArrayEquals(bcHkdf(raw, null, "b247/v1/chunk-id", 32), mk.chunkIdKey());
    assertArrayEquals(bcHkdf(raw, null, "b247/v1/data-enc", 32), mk.encKey());
    assertArrayEquals(bcHkdf(raw, null, "b247/v1/data-mac", 32), mk.macKey());
    assertArrayEquals(bcHkdf(raw, null, "b247/v1/gear", 32), mk.gearKey());
    assertArrayEquals(bcHkdf(raw, null, "b247/v1/config-mac", 32), mk.configMacKey());
  }

  @Test
  void masterKey_derivedKeysDifferFromEachOtherAndFromMk() {
    Set<String> keys = new HashSet<>();
    keys.add(HEX.formatHex(bytes(32, 7)));
    keys.add(HEX.formatHex(mk.chunkIdKey()));
    keys.add(HEX.formatHex(mk.encKey()));
    keys.add(HEX.formatHex(mk.macKey()));
    keys.add(HEX.formatHex(mk.gearKey()));
    keys.add(HEX.formatHex(mk.configMacKey()));
    assertEquals(6, keys.size());
  }

  @Test
  void masterKey_ofCopiesItsInput_andGettersReturnCopies() {
    byte[] raw = bytes(32, 9);
    MasterKey k = MasterKey.of(raw);
    byte[] idKey = k.chunkIdKey();
    Arrays.fill(raw, (byte) 0);
    k.chunkIdKey()[0] ^= 1;
    assertArrayEquals(idKey, k.chunkIdKey());
    assertArrayEquals(idKey, MasterKey.of(bytes(32, 9)).chunkIdKey());
    assertThrows(IllegalArgumentException.class, () -> MasterKey.of(new byte[31]));
  }

  @Test
  void masterKey_none_is32ZeroBytes() {
    assertArrayEquals(MasterKey.of(new byte[32]).chunkIdKey(), MasterKey.none().chunkIdKey());
  }

  @Test
  void masterKey_generate_drawsDifferentKeys() {
    assertFalse(Arrays.equals(
        MasterKey.generate(random).chunkIdKey(), MasterKey.generate(random).chunkIdKey()));
  }

  @Test
  void masterKey_id_isHmacSha256WithTheChunkIdKey() throws Exception {
    byte[] data = bytes(10_000, 3);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(mk.chunkIdKey(), "HmacSHA256"));
    assertArrayEquals(mac.doFinal(data), mk.id(data, 0, data.length));
    mac.update(data, 100, 500);
    assertArrayEquals(mac.doFinal(), mk.id(data, 100, 500));
    assertEquals(32, mk.id(new byte[0], 0, 0).length);
    // keyed: another master key gives another id
    assertFalse(Arrays.equals(mk.id(data, 0, 100), MasterKey.none().id(data, 0, 100)));
  }

  @Test
  void masterKey_id_isThreadSafe() throws Exception {
    byte[][] inputs = new byte[64][];
    byte[][] expected = new byte[64][];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = bytes(1000 + i * 37, i);
      expected[i] = mk.id(inputs[i], 0, inputs[i].length);
    }
    runConcurrently(
        4,
        () -> {
          for (int round = 0; round < 50; round++) {
            for (int i = 0; i < inputs.length; i++) {
              assertArrayEquals(expected[i], mk.id(inputs[i], 0, inputs[i].length));
            }
          }
        });
  }

  @Test
  void masterKey_configMac_isHmacSha256WithTheConfigKey() throws Exception {
    byte[] cfg = "blockSize=33554432\ncipher.id=1".getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(mk.configMacKey(), "HmacSHA256"));
    assertArrayEquals(mac.doFinal(cfg), mk.configMac(cfg));
  }

  @Test
  void masterKey_wrapUnwrap_roundTrips_andTheWrappedFormIsNonceThenGcm() throws Exception {
    byte[] kek = bytes(32, 11);
    byte[] w1 = mk.wrap(kek, random);
    byte[] w2 = mk.wrap(kek, random);
    assertEquals(60, w1.length);
    assertFalse(Arrays.equals(w1, w2), "a fresh nonce per wrap");
    MasterKey back = MasterKey.unwrap(kek, w1);
    assertArrayEquals(mk.chunkIdKey(), back.chunkIdKey());
    assertArrayEquals(mk.encKey(), back.encKey());
    // FORMAT §2: nonce(12) || AES-256-GCM(KEK, nonce, MK, aad "b247/v1/key-wrap")
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"),
        new GCMParameterSpec(128, w2, 0, 12));
    c.updateAAD("b247/v1/key-wrap".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(bytes(32, 7), c.doFinal(w2, 12, 48));
  }

  @Test
  void masterKey_unwrap_withWrongKek_throwsWrongKeyException() {
    byte[] wrapped = mk.wrap(bytes(32, 11), random);
    WrongKeyException e =
        assertThrows(WrongKeyException.class, () -> MasterKey.unwrap(bytes(32, 12), wrapped));
    assertEquals("wrong key or password", e.getMessage());
    byte[] tampered = wrapped.clone();
    tampered[30] ^= 1;
    assertThrows(WrongKeyException.class, () -> MasterKey.unwrap(bytes(32, 11), tampered));
  }

  @Test
  void masterKey_unwrap_malformedBlob_isRepoExceptionButNotWrongKey() {
    byte[] wrapped = mk.wrap(bytes(32, 11), random);
    RepoException e = assertThrows(RepoException.class,
        () -> MasterKey.unwrap(bytes(32, 11), Arrays.copyOf(wrapped, 59)));
    assertFalse(e instanceof WrongKeyException);
    assertTrue(e.getMessage().contains("malformed"), e.getMessage());
  }

  // ---- UserKeys ------------------------------------------------------------------------------

  @Test
  void userKeys_defaultKey_is44Base64Chars_decodingTo32Bytes() {
    String k = UserKeys.newDefaultKey(random);
    assertEquals(44, k.length());
    byte[] raw = UserKeys.decodeDefaultKey(k);
    assertEquals(32, raw.length);
    assertArrayEquals(raw, UserKeys.decodeDefaultKey("  " + k + "\n"));
    assertNotEquals(k, UserKeys.newDefaultKey(random));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "abc",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // 43
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // 45
      "AAAAAAAAAAAAAAAAAAAAAAA!AAAAAAAAAAAAAAAAAAA=", // not base64
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==" // 31 bytes
  })
  void userKeys_malformedDefaultKey_isRejectedWithAClearMessage_withoutEchoingIt(String text) {
    RepoException e = assertThrows(RepoException.class, () -> UserKeys.decodeDefaultKey(text));
    assertTrue(e.getMessage().startsWith("a Default key is 44 base64 characters"), e.getMessage());
    if (text.length() > 8) {
      assertFalse(e.getMessage().contains(text), "the key must not be echoed");
    }
  }

  @Test
  void userKeys_kekForDefault_isHkdfWithTheKekLabel() {
    byte[] userKey = bytes(32, 5);
    assertArrayEquals(bcHkdf(userKey, null, "b247/v1/kek", 32), UserKeys.kekForDefault(userKey));
  }

  @Test
  void userKeys_kekForSecret_isDeterministicPerPasswordAndSalt() {
    byte[] salt = bytes(16, 1);
    byte[] a = UserKeys.kekForSecret("correct horse", salt, 1024, 1, 1);
    assertEquals(32, a.length);
    assertArrayEquals(a, UserKeys.kekForSecret("correct horse", salt, 1024, 1, 1));
    assertFalse(Arrays.equals(a, UserKeys.kekForSecret("correct horse!", salt, 1024, 1, 1)));
    assertFalse(Arrays.equals(a, UserKeys.kekForSecret("correct horse", bytes(16, 2), 1024, 1, 1)));
    assertArrayEquals(
        Kdf.argon2id("correct horse".getBytes(StandardCharsets.UTF_8), salt, 1024, 1, 1, 32), a);
  }

  @Test
  void userKeys_wrongPassword_failsToUnwrap() {
    byte[] salt = bytes(16, 1);
    byte[] wrapped = mk.wrap(UserKeys.kekForSecret("pässwörd", salt, 1024, 1, 1), random);
    MasterKey back = MasterKey.unwrap(UserKeys.kekForSecret("pässwörd", salt, 1024, 1, 1), wrapped);
    assertArrayEquals(mk.encKey(), back.encKey());
    assertThrows(WrongKeyException.class,
        () -> MasterKey.unwrap(UserKeys.kekForSecret("passwörd", salt, 1024, 1, 1), wrapped));
  }

  // ---- ObjectSealer: round trips and the exact format -----------------------------------------

  @ParameterizedTest
  @EnumSource(CipherSuite.class)
  void seal_open_roundTrips_forEmptyOneByteBlockEdgesAndOneMiB(CipherSuite suite) {
    ObjectSealer s = ObjectSealer.create(suite, mk, bytes(16, 1));
    int[] sizes = {0, 1, 15, 16, 17, 31, 32, 33, 1000, 1 << 20};
    long nonce = 0;
    for (int size : sizes) {
      byte[] body = bytes(size + 10, size);
      byte[] id = bytes(32, size + 1);
      byte[] stored = s.seal(DATA, id, nonce, body, 5, size);
      assertTrue(stored.length <= size + suite.maxOverhead(), "overhead " + suite);
      assertEquals(expectedStoredLength(suite, size), stored.length);
      assertArrayEquals(Arrays.copyOfRange(body, 5, 5 + size),
          s.open(DATA, id, nonce, stored, 0, stored.length));
      // the stored bytes may sit anywhere in a larger array (a block)
      byte[] block = new byte[stored.length + 100];
      System.arraycopy(stored, 0, block, 60, stored.length);
      assertArrayEquals(Arrays.copyOfRange(body, 5, 5 + size),
          s.open(DATA, id, nonce, block, 60, stored.length));
      nonce++;
    }
    byte[] header = bytes(300, 99);
    byte[] zeroId = new byte[32];
    byte[] stored = s.seal(4, zeroId, ObjectSealer.HEADER_NONCE, header, 0, header.length);
    assertArrayEquals(header, s.open(4, zeroId, ObjectSealer.HEADER_NONCE, stored, 0, stored.length));
  }

  @ParameterizedTest
  @EnumSource(CipherSuite.class)
  void sealInto_writesExactlyWhatSealReturns_atTheGivenOffset(CipherSuite suite) {
    byte[] salt = bytes(16, 3);
    for (int size : new int[] {0, 1, 17, 70_000}) {
      byte[] body = bytes(size, size + 2);
      byte[] id = bytes(32, size + 3);
      // on another thread: the JDK refuses one thread's GCM cipher the same (key, nonce) twice in a row
      byte[][] holder = new byte[1][];
      Thread other = new Thread(() -> holder[0] = ObjectSealer.create(suite, mk, salt).seal(DATA, id, 77 + size, body,
          0, size));
      other.start();
      assertDoesNotThrow(() -> other.join());
      byte[] expected = holder[0];
      byte[] block = bytes(size + suite.maxOverhead() + 200, 5);
      byte[] before = block.clone();
      int n = ObjectSealer.create(suite, mk, salt).sealInto(DATA, id, 77 + size, body, 0, size, block,
          100);
      assertEquals(expected.length, n);
      assertArrayEquals(expected, Arrays.copyOfRange(block, 100, 100 + n));
      assertArrayEquals(Arrays.copyOfRange(before, 0, 100), Arrays.copyOfRange(block, 0, 100), "nothing before");
      assertArrayEquals(Arrays.copyOfRange(before, 100 + n, before.length),
          Arrays.copyOfRange(block, 100 + n, block.length), "nothing after");
    }
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"AES_256_GCM", "AES_128_GCM"})
  void seal_gcm_isExactlyFormatSection3(CipherSuite suite) throws Exception {
    byte[] salt = bytes(16, 3);
    byte[] id = bytes(32, 4);
    byte[] body = bytes(1234, 5);
    long nonce = 0x0102030405060708L;
    byte[] stored = ObjectSealer.create(suite, mk, salt).seal(FILE, id, nonce, body, 0, body.length);

    byte[] key = Arrays.copyOf(bcHkdf(mk.encKey(), salt, "b247/v1/object", 32), suite.keyBytes());
    byte[] iv = HEX.parseHex("000000000102030405060708");
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    c.updateAAD(aad(FILE, id));
    assertArrayEquals(c.doFinal(body), stored);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"AES_256_CBC_HMAC", "AES_128_CBC_HMAC"})
  void seal_cbcHmac_isExactlyFormatSection3(CipherSuite suite) throws Exception {
    byte[] salt = bytes(16, 3);
    byte[] id = bytes(32, 4);
    long nonce = 42;
    byte[] key = Arrays.copyOf(bcHkdf(mk.encKey(), salt, "b247/v1/object", 32), suite.keyBytes());
    byte[] macKey = bcHkdf(mk.macKey(), salt, "b247/v1/object-mac", 32);
    ObjectSealer s = ObjectSealer.create(suite, mk, salt);
    for (int size : new int[] {0, 5, 16, 1234}) {
      byte[] body = bytes(size, 5);
      byte[] stored = s.seal(FILE, id, nonce, body, 0, body.length);

      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
      mac.update("iv".getBytes(StandardCharsets.US_ASCII));
      byte[] iv = Arrays.copyOf(mac.doFinal(long8(nonce)), 16);
      Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      byte[] ct = c.doFinal(body);
      mac.update(aad(FILE, id));
      mac.update(long8(nonce));
      mac.update(iv);
      mac.update(ct);
      byte[] tag = mac.doFinal();
      assertArrayEquals(concat(iv, ct, tag), stored, "size " + size);
      nonce++;
    }
  }

  @Test
  void seal_none_isBodyThenSha256PrefixOfAadAndBody() throws Exception {
    byte[] id = bytes(32, 4);
    byte[] body = bytes(777, 5);
    byte[] stored =
        ObjectSealer.create(CipherSuite.NONE, null, bytes(16, 3)).seal(DATA, id, 3, body, 0, 777);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(aad(DATA, id));
    byte[] sum = Arrays.copyOf(md.digest(body), 16);
    assertArrayEquals(concat(body, sum), stored);
  }

  // ---- ObjectSealer: what open must refuse ----------------------------------------------------

  @ParameterizedTest
  @EnumSource(CipherSuite.class)
  void openInPlace_leavesTheBodyWhereTheStoredBytesWere_andFailsOnAFlippedBit(CipherSuite suite) {
    ObjectSealer s = ObjectSealer.create(suite, mk, bytes(16, 1));
    byte[] id = bytes(32, 2);
    long nonce = 0;
    // below and above the size that takes the AES-GCM fast path, and more than one slice
    for (int size : new int[] {0, 1, 100, 4095, 4096, 40_000, (1 << 20) + 5}) {
      byte[] body = bytes(size, size);
      byte[] stored = s.seal(DATA, id, nonce, body, 0, size);
      byte[] block = new byte[stored.length + 70];
      System.arraycopy(stored, 0, block, 50, stored.length);
      int n = s.openInPlace(DATA, id, nonce, block, 50, stored.length);
      assertArrayEquals(body, Arrays.copyOfRange(block, 50, 50 + n), suite + " size " + size);
      // the same blob again, right after (the JDK refuses one GCM (key, nonce) twice in a row)
      System.arraycopy(stored, 0, block, 50, stored.length);
      n = s.openInPlace(DATA, id, nonce, block, 50, stored.length);
      assertArrayEquals(body, Arrays.copyOfRange(block, 50, 50 + n), suite + " size " + size + " again");
      for (int pos : new int[] {0, stored.length / 2, stored.length - 1}) {
        byte[] bad = stored.clone();
        bad[pos] ^= 0x10;
        long nc = nonce;
        CorruptDataException e = assertThrows(CorruptDataException.class,
            () -> s.openInPlace(DATA, id, nc, bad, 0, bad.length), () -> suite + " size " + size + " flip at " + pos);
        assertEquals("authentication failed", e.getMessage());
      }
      nonce++;
    }
  }

  @ParameterizedTest
  @EnumSource(CipherSuite.class)
  void open_fails_whenAnyBitOfTheStoredBytesFlips(CipherSuite suite) {
    ObjectSealer s = ObjectSealer.create(suite, mk, bytes(16, 1));
    byte[] id = bytes(32, 2);
    byte[] body = bytes(40, 3);
    byte[] stored = s.seal(DATA, id, 7, body, 0, body.length);
    // every byte position: iv, ciphertext, padding block, tag / checksum
    for (int pos = 0; pos < stored.length; pos++) {
      byte[] bad = stored.clone();
      bad[pos] ^= (byte) (1 << (pos % 8));
      int p = pos;
      assertThrows(CorruptDataException.class, () -> s.open(DATA, id, 7, bad, 0, bad.length),
          () -> suite + " flip at " + p);
    }
    // and a few positions of a large blob
    byte[] big = bytes(1 << 20, 4);
    byte[] bigStored = s.seal(DATA, id, 8, big, 0, big.length);
    for (int pos : new int[] {0, 15, 16, 500_000, bigStored.length - 33, bigStored.length - 1}) {
      byte[] bad = bigStored.clone();
      bad[pos] ^= 0x40;
      CorruptDataException e = assertThrows(CorruptDataException.class,
          () -> s.open(DATA, id, 8, bad, 0, bad.length));
      assertEquals("authentication failed", e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(CipherSuite.class)
  void open_fails_forAnotherTypeIdOrNonce(CipherSuite suite) {
    ObjectSealer s = ObjectSealer.create(suite, mk, bytes(16, 1));
    byte[] id = bytes(32, 2);
    byte[] otherId = id.clone();
    otherId[31] ^= 1;
    byte[] body = bytes(100, 3);
    byte[] stored = s.seal(DATA, id, 7, body, 0, body.length);
    assertThrows(CorruptDataException.class, () -> s.open(FILE, id, 7, stored, 0, stored.length));
    assertThrows(CorruptDataException.class,
        () -> s.open(DATA, otherId, 7, stored, 0, stored.length));
    if (suite != CipherSuite.NONE) { // NONE binds type and id only: it has no secret to bind to
      assertThrows(CorruptDataException.class, () -> s.open(DATA, id, 8, stored, 0, stored.length));
      assertThrows(CorruptDataException.class,
          () -> s.open(DATA, id, ObjectSealer.HEADER_NONCE, stored, 0, stored.length));
    }
    assertArrayEquals(body, s.open(DATA, id, 7, stored, 0, stored.length));
  }

  @ParameterizedTest
  @EnumSource(CipherSuite.class)
  void open_fails_whenTruncatedOrExtended(CipherSuite suite) {
    ObjectSealer s = ObjectSealer.create(suite, mk, bytes(16, 1));
    byte[] id = bytes(32, 2);
    byte[] body = bytes(50, 3);
    byte[] stored = s.seal(DATA, id, 0, body, 0, body.length);
    for (int len = 0; len < stored.length; len++) {
      int l = len;
      assertThrows(CorruptDataException.class, () -> s.open(DATA, id, 0, stored, 0, l),
          () -> suite + " truncated to " + l);
      assertThrows(CorruptDataException.class,
          () -> s.open(DATA, id, 0, stored, stored.length - l, l),
          () -> suite + " head cut, " + l + " left");
    }
    byte[] longer = Arrays.copyOf(stored, stored.length + 16);
    assertThrows(CorruptDataException.class, () -> s.open(DATA, id, 0, longer, 0, longer.length));
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void open_fails_withAnotherObjectsKeys(CipherSuite suite) {
    ObjectSealer s = ObjectSealer.create(suite, mk, bytes(16, 1));
    byte[] id = bytes(32, 2);
    byte[] body = bytes(100, 3);
    byte[] stored = s.seal(DATA, id, 0, body, 0, body.length);
    ObjectSealer otherSalt = ObjectSealer.create(suite, mk, bytes(16, 2));
    ObjectSealer otherMk = ObjectSealer.create(suite, MasterKey.of(bytes(32, 8)), bytes(16, 1));
    assertThrows(CorruptDataException.class,
        () -> otherSalt.open(DATA, id, 0, stored, 0, stored.length));
    assertThrows(CorruptDataException.class,
        () -> otherMk.open(DATA, id, 0, stored, 0, stored.length));
    // another suite of the same key size and mode family must not open it either
    for (CipherSuite other : CipherSuite.values()) {
      if (other != suite) {
        ObjectSealer o = ObjectSealer.create(other, mk, bytes(16, 1));
        assertThrows(CorruptDataException.class, () -> o.open(DATA, id, 0, stored, 0, stored.length),
            () -> suite + " opened as " + other);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void seal_neverReusesKeyAndNonce_acrossObjectsOrBlobs(CipherSuite suite) {
    byte[] id = bytes(32, 2);
    byte[] body = new byte[4096]; // all zero: any keystream reuse would show at once
    ObjectSealer a = ObjectSealer.create(suite, mk, bytes(16, 1));
    ObjectSealer b = ObjectSealer.create(suite, mk, bytes(16, 2));
    byte[] sa = a.seal(DATA, id, 0, body, 0, body.length);
    byte[] sb = b.seal(DATA, id, 0, body, 0, body.length);
    byte[] sa1 = a.seal(DATA, id, 1, body, 0, body.length);
    assertFalse(Arrays.equals(sa, sb), "different salts, same input and nonce");
    assertFalse(Arrays.equals(sa, sa1), "same object, next nonce");
    assertFalse(Arrays.equals(Arrays.copyOf(sa, 32), Arrays.copyOf(sb, 32)));
    assertFalse(Arrays.equals(Arrays.copyOf(sa, 32), Arrays.copyOf(sa1, 32)));
  }

  @Test
  void seal_gcm_sameNonceTwiceInARow_isRefused() {
    ObjectSealer s = ObjectSealer.create(CipherSuite.AES_256_GCM, mk, bytes(16, 1));
    byte[] id = bytes(32, 2);
    s.seal(DATA, id, 5, new byte[10], 0, 10);
    assertThrows(IllegalStateException.class, () -> s.seal(DATA, id, 5, new byte[10], 0, 10));
  }

  @Test
  void seal_refusesMalformedArguments() {
    ObjectSealer s = ObjectSealer.create(CipherSuite.AES_256_GCM, mk, bytes(16, 1));
    assertThrows(IllegalArgumentException.class, () -> s.seal(DATA, new byte[31], 0, new byte[1], 0, 1));
    assertThrows(IllegalArgumentException.class, () -> s.seal(256, new byte[32], 0, new byte[1], 0, 1));
    assertThrows(IllegalArgumentException.class, () -> s.seal(DATA, new byte[32], -1, new byte[1], 0, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> s.seal(DATA, new byte[32], 0, new byte[1], 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> ObjectSealer.create(CipherSuite.AES_256_GCM, mk, new byte[15]));
  }

  @ParameterizedTest
  @EnumSource(CipherSuite.class)
  void sealer_isThreadSafe_acrossSealersSharingThreads(CipherSuite suite) throws Exception {
    ObjectSealer a = ObjectSealer.create(suite, mk, bytes(16, 1));
    ObjectSealer b = ObjectSealer.create(suite, mk, bytes(16, 2));
    runConcurrently(
        4,
        () -> {
          Random r = new Random(Thread.currentThread().getId());
          for (int i = 0; i < 300; i++) {
            ObjectSealer s = (i & 1) == 0 ? a : b;
            byte[] body = new byte[r.nextInt(70_000)];
            r.nextBytes(body);
            byte[] id = new byte[32];
            r.nextBytes(id);
            long nonce = r.nextLong() & Long.MAX_VALUE;
            byte[] stored = s.seal(DATA, id, nonce, body, 0, body.length);
            assertArrayEquals(body, s.open(DATA, id, nonce, stored, 0, stored.length));
          }
        });
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The first bytes a JVM seals go through GCM in small slices: same stored bytes as the large slices after. */
  @Test
  void smallAndLargeGcmSlicesSealTheSameBytes() {
    byte[] salt = bytes(16, 11);
    byte[] id = bytes(32, 12);
    byte[] body = bytes(3 * ObjectSealer.GCM_SLICE + 123, 13);
    long saved = ObjectSealer.sealedGcm;
    try {
      ObjectSealer.sealedGcm = 0;
      byte[] small = ObjectSealer.create(CipherSuite.AES_256_GCM, mk, salt).seal(DATA, id, 5, body, 0, body.length);
      ObjectSealer.create(CipherSuite.AES_256_GCM, mk, bytes(16, 14)).seal(DATA, id, 5, body, 0, 10); // another key between
      ObjectSealer.sealedGcm = ObjectSealer.SMALL_SLICE_BYTES;
      ObjectSealer s = ObjectSealer.create(CipherSuite.AES_256_GCM, mk, salt);
      byte[] large = s.seal(DATA, id, 5, body, 0, body.length);
      assertArrayEquals(large, small);
      assertArrayEquals(body, s.open(DATA, id, 5, small, 0, small.length));
    } finally {
      ObjectSealer.sealedGcm = Math.max(saved, ObjectSealer.sealedGcm);
    }
  }

  private static int expectedStoredLength(CipherSuite suite, int size) {
    switch (suite) {
      case AES_256_CBC_HMAC:
      case AES_128_CBC_HMAC:
        return 16 + (size / 16 + 1) * 16 + 32;
      default:
        return size + 16;
    }
  }

  private static byte[] aad(int type, byte[] id) {
    return concat("B247".getBytes(StandardCharsets.US_ASCII), new byte[] {1, (byte) type}, id);
  }

  private static byte[] long8(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int pos = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }

  /** HKDF-SHA-256 by Bouncy Castle: an implementation independent of {@link Kdf#hkdf}. */
  private static byte[] bcHkdf(byte[] ikm, byte[] salt, String info, int len) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    g.init(new HKDFParameters(ikm, salt, info.getBytes(StandardCharsets.US_ASCII)));
    byte[] out = new byte[len];
    g.generateBytes(out, 0, len);
    return out;
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  private interface Body {
    void run() throws Exception;
  }

  private static void runConcurrently(int threads, Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        fs.add(pool.submit(() -> {
          body.run();
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
