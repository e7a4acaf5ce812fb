/**
 * A destination in a local folder. Invariant: an object and every folder made for it are fsynced
 * before the rename that publishes it; local I/O errors other than a missing object are permanent.
 */
package au.com.backup247.agent.repo.store.local;
