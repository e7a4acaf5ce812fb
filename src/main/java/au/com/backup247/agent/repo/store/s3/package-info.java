/**
 * A destination in an S3 bucket (AWS SDK v2), with its config and error mapping. Invariant: an
 * object is visible only once its upload is complete; a failed multipart upload is aborted.
 */
package au.com.backup247.agent.repo.store.s3;
