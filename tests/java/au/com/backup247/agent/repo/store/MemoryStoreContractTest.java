package au.com.backup247.agent.repo.store;

/** {@link MemoryStore} passes the destination contract. */
class MemoryStoreContractTest extends StoreContract {
  @Override
  protected Store createStore() {
    return new MemoryStore();
  }
}
