/**
 * Event-bus vocabulary: addresses ({@link au.com.backup247.agent.bus.Addresses}) and the coded
 * failures every service replies with ({@link au.com.backup247.agent.bus.Failure}).
 */
package au.com.backup247.agent.bus;
