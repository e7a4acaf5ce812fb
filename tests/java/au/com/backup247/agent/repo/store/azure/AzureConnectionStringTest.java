package au.com.backup247.agent.repo.store.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AzureConnectionStringTest {
  private static final String KEY = "c2VjcmV0LWFjY291bnQta2V5LWJ5dGVz";
  private static final String SAS = "sv=2024-01-01&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D";

  @Test
  void parse_keepsTheParts_butToStringShowsNoSecret() {
    AzureConnectionString c = AzureConnectionString.parse("DefaultEndpointsProtocol=https;AccountName=backups;AccountKey="
        + KEY + ";SharedAccessSignature=" + SAS + ";EndpointSuffix=core.windows.net");
    assertEquals("backups", c.accountName());
    assertEquals(KEY, c.accountKey());
    assertEquals(SAS, c.sas());
    String shown = c.toString();
    assertFalse(shown.contains(KEY), shown);
    assertFalse(shown.contains("c2VjcmV0LXNpZ25hdHVyZQ"), shown);
    assertTrue(shown.contains("accountName=backups") && shown.contains("accountKey=***") && shown.contains("sas=***"),
        shown);
  }
}
