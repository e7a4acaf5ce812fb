/**
 * The agent's settings: {@code <home>/config/agent.json} ({@code AgentConfig}, immutable, validated
 * once, every bad field named) and the deployment plan {@code verticles.json} ({@code VerticlesSpec}),
 * with the JSON reading and error wording they share.
 */
package au.com.backup247.agent.config;
