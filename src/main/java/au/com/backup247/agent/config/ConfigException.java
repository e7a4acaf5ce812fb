package au.com.backup247.agent.config;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;

/** A configuration value is missing, malformed or out of range; the message names the key. */
public class ConfigException extends AgentException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(Failure.CONFIG_INVALID, message);
  }
}
