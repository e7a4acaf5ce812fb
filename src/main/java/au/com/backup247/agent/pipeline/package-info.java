/**
 * The one backup pipeline (ARCHITECTURE section 2), used by the agent and the offline CLI alike:
 * {@link au.com.backup247.agent.pipeline.PipelineBackup} deploys a backup job's stages as verticles
 * talking over the event bus with credit-based backpressure
 * ({@link au.com.backup247.agent.bus.CreditFlow}), as the {@code pipeline} section of verticles.json
 * names them: {@link au.com.backup247.agent.pipeline.ScanVerticle},
 * {@link au.com.backup247.agent.pipeline.ChunkVerticle} (one per thread),
 * {@link au.com.backup247.agent.pipeline.SealVerticle} and one
 * {@link au.com.backup247.agent.pipeline.UploaderVerticle} per destination, one sealed block stream
 * fanned out to all of them. Each verticle is thin: it adapts a stage class of {@code backup} to the
 * bus and finds its job by the run id ({@code Runs}). The agent runs it in its own Vert.x;
 * {@link au.com.backup247.agent.pipeline.StandaloneBackup} starts a small embedded one for callers
 * without (the offline {@code repo backup}, tests), which reads the plan embedded in the jar.
 */
package au.com.backup247.agent.pipeline;
