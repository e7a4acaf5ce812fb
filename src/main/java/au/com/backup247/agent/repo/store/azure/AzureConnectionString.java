package au.com.backup247.agent.repo.store.azure;

import java.net.URI;
import java.util.Locale;

/**
 * The parts of an Azure connection string that matter for blobs, e.g. from
 * {@code DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net}.
 * Messages about a bad string never show it (it holds a secret).
 */
record AzureConnectionString(String accountName, String accountKey, String sas, URI blobEndpoint,
    String protocol, String suffix) {
  static AzureConnectionString parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the Azure connection string is empty");
    }
    String name = null;
    String key = null;
    String sas = null;
    URI blob = null;
    String protocol = null;
    String suffix = null;
    for (String part : text.strip().split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("the Azure connection string is not a list of Name=value pairs "
            + "separated by ';'");
      }
      String k = part.substring(0, eq).strip();
      String v = part.substring(eq + 1).strip();
      switch (k.toLowerCase(Locale.ROOT)) {
        case "accountname" -> name = v;
        case "accountkey" -> key = v;
        case "sharedaccesssignature" -> sas = v;
        case "defaultendpointsprotocol" -> protocol = v.toLowerCase(Locale.ROOT);
        case "endpointsuffix" -> suffix = v;
        case "blobendpoint" -> {
          try {
            blob = URI.create(v);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Azure connection string's BlobEndpoint is not a URL");
          }
        }
        default -> {
          // other services' endpoints and settings do not matter for blobs
        }
      }
    }
    if (protocol != null && !protocol.equals("http") && !protocol.equals("https")) {
      throw new IllegalArgumentException("the Azure connection string's DefaultEndpointsProtocol must be http or "
          + "https");
    }
    return new AzureConnectionString(name, key, sas, blob, protocol, suffix);
  }

  /** The parts without the secrets: the account key and the shared access signature show as set or not. */
  @Override
  public String toString() {
    return "AzureConnectionString[accountName=" + accountName + ", accountKey=" + (accountKey == null ? "none" : "***")
        + ", sas=" + (sas == null ? "none" : "***") + ", blobEndpoint=" + blobEndpoint + ", protocol=" + protocol
        + ", suffix=" + suffix + "]";
  }
}
