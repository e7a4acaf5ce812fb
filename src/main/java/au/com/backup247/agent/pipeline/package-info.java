/**
 * The one backup pipeline (ARCHITECTURE section 2), used by the agent and the offline CLI alike:
 * {@link au.com.backup247.agent.pipeline.PipelineBackup} runs a backup job's scan, chunk, seal and
 * upload stages as worker verticles talking over the event bus with credit-based backpressure
 * ({@link au.com.backup247.agent.bus.CreditFlow}); one sealed block stream fans out to every
 * destination's {@link au.com.backup247.agent.pipeline.UploaderVerticle}. The agent runs it in its
 * own Vert.x; {@link au.com.backup247.agent.pipeline.StandaloneBackup} starts a small embedded one
 * for callers without (the offline {@code repo backup}, tests).
 */
package au.com.backup247.agent.pipeline;
