/**
 * Event-bus vocabulary: addresses ({@link au.com.backup247.agent.bus.Addresses}), the coded
 * failures every service replies with ({@link au.com.backup247.agent.bus.Failure}), credit-based
 * backpressure between stages ({@link au.com.backup247.agent.bus.CreditFlow}) and the codec of
 * messages that may cross a cluster ({@link au.com.backup247.agent.bus.WireCodec}).
 */
package au.com.backup247.agent.bus;
