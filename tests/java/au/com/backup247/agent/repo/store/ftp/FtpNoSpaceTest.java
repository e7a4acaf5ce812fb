package au.com.backup247.agent.repo.store.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link FtpNoSpace} against a table of replies: those that servers send for a full disk or a quota
 * (seen from vsftpd and pure-ftpd in {@code FtpFullDiskTest}, ProFTPD's from its source) mean no
 * space; replies about the network, the connection or a file name do not.
 */
class FtpNoSpaceTest {

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      451 | Failure writing to local file.                                                        | true
      451 | Error during write to file; Transfer aborted; 0.001 seconds (measured here)           | true
      552 | Transfer aborted (quota); 0 files used (0%) - authorized: 1000 files; Quota exceeded: [x] won't be saved | true
      552 | big.bak: Disk quota exceeded                                                          | true
      451 | big.bak: No space left on device                                                      | true
      550 | big.bak: No space left on device                                                      | true
      452 | Insufficient storage space                                                            | true
      552 | Requested file action aborted                                                         | true
      552 | Disk full - please upload later                                                       | true
      426 | Failure reading network stream.                                                       | false
      451 | Error during read from data connection; Transfer aborted                              | false
      451 | Requested action aborted: local error in processing                                   | false
      421 | Disk full, closing control connection                                                 | false
      553 | Could not create file.                                                                | false
      553 | No spaces allowed in file names                                                       | false
      550 | Permission denied                                                                     | false
      226 | Transfer complete; 0 Kbytes used (0%) - authorized: 1024 Kb                           | false
      """)
  void saysNoSpace_onlyForTheRepliesServersSendForAFullDiskOrQuota(int code, String text, boolean noSpace) {
    assertEquals(noSpace, FtpNoSpace.says(code, text));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      451 | Failure writing to local file.  | true
      552 | Disk quota exceeded             | false
      """)
  void explain_saysNoSpace_andWhyWhenTheServerOnlySaidItCouldNotWrite(int code, String text, boolean why) {
    String said = FtpNoSpace.explain(code, text);
    assertTrue(said.startsWith("no space left on the server or quota exceeded"), said);
    assertEquals(why, said.contains("could not write the file"), said);
  }
}
