package au.com.backup247.agent.repo.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.error.CorruptDataException;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.error.WrongKeyException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A set's key sealed to a recovery public key (FORMAT.md §11): round trip, wrong key, damage, layout. */
class RecoveryEnvelopeTest {
  static KeyPair admin;
  static KeyPair other;
  static final SecureRandom RANDOM = new SecureRandom();

  @BeforeAll
  static void keys() {
    admin = RecoveryEnvelope.generate(RANDOM);
    other = RecoveryEnvelope.generate(RANDOM);
  }

  @Test
  void sealThenOpen_givesBackTheSetKey_forEveryKeyType() {
    for (RecoveryEnvelope.Content c : new RecoveryEnvelope.Content[] {
        new RecoveryEnvelope.Content("1700000000000", KeyType.DEFAULT, UserKeys.newDefaultKey(RANDOM)),
        new RecoveryEnvelope.Content("42", KeyType.PASSWORD, "pässwörd with spaces = and \\ and 東京"),
        new RecoveryEnvelope.Content("43", KeyType.CUSTOM, "correct horse battery")}) {
      byte[] e = RecoveryEnvelope.seal(admin.getPublic(), c, RANDOM);
      assertEquals(c, RecoveryEnvelope.open(admin.getPrivate(), e, "envelope"));
    }
  }

  @Test
  void layout_isTheDocumentedOne() {
    byte[] e = RecoveryEnvelope.seal(admin.getPublic(), new RecoveryEnvelope.Content("7", KeyType.DEFAULT, "k"),
        RANDOM);
    assertArrayEquals("B247RCV\0".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(e, 8));
    assertEquals(1, e[8]);
    assertEquals(1, e[9]);
    assertArrayEquals(RecoveryEnvelope.recipient(admin.getPublic()), Arrays.copyOfRange(e, 10, 42));
    assertArrayEquals(RecoveryEnvelope.recipient(admin.getPublic()), RecoveryEnvelope.recipientOf(e, "x"));
    int n = ByteBuffer.wrap(e, 42, 2).getShort() & 0xffff;
    assertEquals(384, n); // RSA-3072
    // content "RCV1" + 3 strings (2+1, 2+7, 2+1) + GCM tag
    assertEquals(44 + n + 12 + 4 + 3 + 9 + 3 + 16, e.length);
    assertEquals("recovery/" + RecoveryEnvelope.hex(RecoveryEnvelope.recipient(admin.getPublic())) + ".rcv",
        RecoveryEnvelope.objectPath(RecoveryEnvelope.recipientOf(e, "x")));
  }

  @Test
  void anotherPrivateKey_isRefused_namingTheRecipient() {
    byte[] e = RecoveryEnvelope.seal(admin.getPublic(), new RecoveryEnvelope.Content("7", KeyType.DEFAULT, "k"),
        RANDOM);
    WrongKeyException w = assertThrows(WrongKeyException.class,
        () -> RecoveryEnvelope.open(other.getPrivate(), e, "recovery/x.rcv"));
    assertEquals("recovery/x.rcv was sealed to another recovery key (SHA-256 "
        + RecoveryEnvelope.hex(RecoveryEnvelope.recipient(admin.getPublic())) + ")", w.getMessage());
    // with the recipient rewritten to the other key's, the RSA unwrap itself refuses it
    byte[] forged = e.clone();
    System.arraycopy(RecoveryEnvelope.recipient(other.getPublic()), 0, forged, 10, 32);
    assertThrows(WrongKeyException.class, () -> RecoveryEnvelope.open(other.getPrivate(), forged, "f"));
  }

  @Test
  void anyChangedByte_isRefused() {
    byte[] e = RecoveryEnvelope.seal(admin.getPublic(), new RecoveryEnvelope.Content("7", KeyType.DEFAULT, "k"),
        RANDOM);
    for (int i : new int[] {0, 8, 9, 42, 100, 44 + 384, 44 + 384 + 12, e.length - 1}) {
      byte[] bad = e.clone();
      bad[i] ^= 1;
      RepoException x = assertThrows(RepoException.class, () -> RecoveryEnvelope.open(admin.getPrivate(), bad, "e"),
          "byte " + i);
      assertTrue(x instanceof CorruptDataException || x instanceof WrongKeyException, x.toString());
    }
    assertThrows(CorruptDataException.class,
        () -> RecoveryEnvelope.open(admin.getPrivate(), Arrays.copyOf(e, 60), "e"));
  }

  @Test
  void pemFiles_roundTrip_andAWeakKeyIsRefused(@TempDir Path dir) throws Exception {
    Path pub = Files.write(dir.resolve("pub.pem"), RecoveryEnvelope.pem(admin.getPublic()));
    Path priv = Files.write(dir.resolve("priv.pem"), RecoveryEnvelope.pem(admin.getPrivate()));
    assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----\n"));
    assertTrue(Files.readString(priv).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertEquals(admin.getPublic(), RecoveryEnvelope.readPublicKey(pub));
    assertEquals(admin.getPublic(), RecoveryEnvelope.publicKeyOf(RecoveryEnvelope.readPrivateKey(priv)));

    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    Path weak = Files.write(dir.resolve("weak.pem"), RecoveryEnvelope.pem(g.generateKeyPair().getPublic()));
    RepoException e = assertThrows(RepoException.class, () -> RecoveryEnvelope.readPublicKey(weak));
    assertEquals("recovery public key " + weak + " must be an RSA key of at least 3072 bits", e.getMessage());
    RepoException notPem = assertThrows(RepoException.class, () -> RecoveryEnvelope.readPublicKey(priv));
    assertTrue(notPem.getMessage().contains("holds no PEM PUBLIC KEY"), notPem.getMessage());
  }
}
