package au.com.backup247.agent.repo.store.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
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
  void theJvmTakesTheKeyExchangeCompileRule() throws Exception {
    assertEquals("1 compiler directives added", SshWarmup.keepKexOutOfC2());
    // the JVM's own listing: for the pqc classes, C1 still compiles and C2 does not
    String listing = String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
        new Object[] {null}, new String[] {String[].class.getName()}));
    int at = listing.indexOf("matching: org/bouncycastle/pqc/*.*");
    assertTrue(at >= 0, listing);
    String rule = listing.substring(at, listing.indexOf("Directive:", at));
    String c1 = rule.substring(rule.indexOf("c1 directives:"), rule.indexOf("c2 directives:"));
    String c2 = rule.substring(rule.indexOf("c2 directives:"));
    assertTrue(c1.contains("Exclude:false"), rule);
    assertTrue(c2.contains("Exclude:true"), rule);
  }

  @Test
  void theFirstConnectionWaitsForTheRule() {
    SshWarmup.start(SftpStore.CIPHERS.get(0));
    assertTrue(SshWarmup.kexCompileRuleSet(60_000));
  }
}
