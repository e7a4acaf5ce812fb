/**
 * Destinations: the {@link au.com.backup247.agent.repo.store.Store} SPI (paths, operations, errors,
 * threads), its decorators (retrying, logging, read-only) and the helpers the backends share: the
 * temp-then-rename put of the file stores ({@code TempRename}, {@code AsideRename}) and their
 * folder on the server ({@code ServerRoot}), the put of the object stores ({@code ObjectStore},
 * {@code PartUpload}), the reading of an upload's source ({@code UploadSource}), the connection
 * pool, and the config and name of every remote backend ({@code RemoteStore}). Each backend lives in a
 * package of its own ({@code local}, {@code sftp}, {@code ftp}, {@code s3}, {@code azure}) that
 * depends on this one and on no other backend. Invariant: a put is atomic (no partial object is
 * ever seen under its final name) and every failure is a
 * {@link au.com.backup247.agent.repo.store.StoreException} saying whether retrying may help.
 */
package au.com.backup247.agent.repo.store;
