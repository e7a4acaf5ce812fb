/**
 * Pipeline stages as verticles (ARCHITECTURE section 2). Stages talk over the event bus with
 * credit-based backpressure ({@link au.com.backup247.agent.bus.CreditFlow}); CPU and disk work run
 * on worker threads. So far: the upload stage ({@link au.com.backup247.agent.pipeline.UploaderVerticle}).
 */
package au.com.backup247.agent.pipeline;
