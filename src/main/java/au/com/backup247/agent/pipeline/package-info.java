/**
 * Pipeline stages as verticles (ARCHITECTURE section 2): {@link au.com.backup247.agent.pipeline.PipelineBackup}
 * runs a backup job's scan, chunk, seal and upload stages as worker verticles talking over the
 * event bus with credit-based backpressure ({@link au.com.backup247.agent.bus.CreditFlow}); one
 * sealed block stream fans out to every destination's {@link au.com.backup247.agent.pipeline.UploaderVerticle}.
 */
package au.com.backup247.agent.pipeline;
