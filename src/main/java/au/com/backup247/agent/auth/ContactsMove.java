package au.com.backup247.agent.auth;

import au.com.backup247.agent.home.PrivateFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration of the report contacts: before accounts, agent.json's {@code contacts} received the
 * emailed reports; now each account's profile holds its contacts. The first account takes over
 * agent.json's, and the key is taken out of the file (rewritten atomically, owner-only), so one
 * list is not kept in two places.
 */
final class ContactsMove {
  private static final Logger LOG = LoggerFactory.getLogger(ContactsMove.class);

  private ContactsMove() {
  }

  /** Removes {@code contacts} from agent.json; returns whether there was anything to remove. Blocking. */
  static boolean out(Path agentJson) throws IOException {
    JsonObject config = new JsonObject(Files.readString(agentJson, StandardCharsets.UTF_8));
    if (config.remove("contacts") == null) {
      return false;
    }
    PrivateFiles.write(agentJson, (config.encodePrettily() + "\n").getBytes(StandardCharsets.UTF_8));
    LOG.info("the contacts of {} moved to the first account's profile (b247 profile contacts --user LOGIN)",
        agentJson);
    return true;
  }
}
