package au.com.backup247.agent.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * Password hashing off the event loop: {@link PasswordHasher} on a pool of its own of two threads,
 * so a burst of logins costs at most two Argon2id computations (19 MiB each) at once and never
 * takes the workers the jobs need.
 */
final class Passwords {
  static final int THREADS = 2;
  private final PasswordHasher hasher;
  private final WorkerExecutor workers;

  Passwords(Vertx vertx, PasswordHasher hasher) {
    this.hasher = hasher;
    this.workers = vertx.createSharedWorkerExecutor("b247-passwords", THREADS);
  }

  Future<String> hash(String password) {
    return workers.executeBlocking(() -> hasher.hash(password.toCharArray()), false);
  }

  /**
   * Checks {@code password} against a stored hash, or, when {@code phc} is null (an unknown login
   * name), against the dummy hash: the same Argon2id cost, and always false. The dummy hash is made
   * on the worker too (its first use hashes).
   */
  Future<Boolean> verify(String password, String phc) {
    return workers.executeBlocking(() -> hasher.verify(password.toCharArray(), phc == null ? hasher.dummyHash() : phc)
        && phc != null, false);
  }

  boolean needsRehash(String phc) {
    return hasher.needsRehash(phc);
  }

  Future<Void> close() {
    return workers.close();
  }
}
