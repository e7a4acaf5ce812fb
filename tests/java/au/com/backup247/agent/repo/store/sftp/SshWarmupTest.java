package au.com.backup247.agent.repo.store.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.junit.jupiter.api.Test;

class SshWarmupTest {
  @Test
  void everyOfferedCipherRoundTripsItsWarmUpPackets() throws Exception {
    for (BuiltinCiphers c : SftpStore.CIPHERS) {
      assertEquals(300, SshWarmup.run(c, 300), c.getName());
    }
  }

  @Test
  void runsOncePerJvm() {
    SshWarmup.start(SftpStore.CIPHERS.get(0)); // true unless a store was opened before in this JVM
    assertFalse(SshWarmup.start(SftpStore.CIPHERS.get(0)));
  }

  @Test
  void theJvmTakesTheKeyExchangeCompileRule() {
    assertEquals("1 compiler directives added", SshWarmup.keepKexOutOfC2());
  }

  @Test
  void theFirstConnectionWaitsForTheRule() {
    SshWarmup.start(SftpStore.CIPHERS.get(0));
    assertTrue(SshWarmup.kexCompileRuleSet(60_000));
  }
}
