package au.com.backup247.agent.auth;

import io.vertx.core.Future;

/**
 * Sends a text message (guide ch. 7.5: SMS passcodes). Implementations: {@link TwilioSms}.
 *
 * <p>Contract: {@code to} is an E.164 number ({@code +61412345678}, see
 * {@link SmsPasscodes#isPhoneNumber}); the future completes when the gateway has accepted the
 * message (not when the phone got it), or fails with an
 * {@link au.com.backup247.agent.bus.AgentException} whose message, in {@code language} (an
 * {@link au.com.backup247.agent.i18n.Messages} language: the reader's), names the gateway and says
 * what went wrong. {@code text} holds a passcode: implementations never log it, nor put it in an error.
 */
interface SmsGateway {
  Future<Void> send(String to, String text, String language);
}
