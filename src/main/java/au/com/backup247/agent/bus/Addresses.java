package au.com.backup247.agent.bus;

/**
 * Every event-bus address of the agent, in one place.
 *
 * <p>Addresses read {@code b247.<concern>.<name>}. Commands and queries are verbs
 * ({@code b247.catalog.ping}); published events are past tense ({@code b247.events.agent-started}).
 */
public final class Addresses {
  private Addresses() {
  }

  /** Query: is the catalog reachable? Replies {@code {"schemaVersion": n}} or fails UNAVAILABLE. */
  public static final String CATALOG_PING = "b247.catalog.ping";
  /** Query: keyset page of agent runs. Body {@code {"after": id|null, "limit": n}}. */
  public static final String CATALOG_LIST_RUNS = "b247.catalog.list-runs";

  /** Query: liveness and readiness of this node. */
  public static final String SYSTEM_HEALTH = "b247.system.health";
  /** Query: the Information page (product version, JVM, threads, memory, OS). */
  public static final String SYSTEM_INFO = "b247.system.info";

  /** Event: the agent finished starting. */
  public static final String EVENT_AGENT_STARTED = "b247.events.agent-started";
}
