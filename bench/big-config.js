// The many-environment config the benches compile: chains of four, each environment adding a classifier, a rule and model settings.

/** A config of `n` environments in chains of four (each extends the one before it in its chain). */
export function bigConfig(n) {
  const lines = [
    "version: 1",
    "defaults:",
    "  features: {agent_arch: dual-llm}",
    "  policy: {mode: standard, codes: {file: base.sqrt}}",
    "  config: {fsm: {max_n_turns: 10, clear_session_meta: every_turn}}",
    "environments:",
  ];
  for (let i = 0; i < n; i++) {
    lines.push(`  env${i}:`);
    if (i % 4 !== 0) lines.push(`    extends: env${i - 1}`);
    lines.push(`    features: {content_classifiers: {$append: [{name: pii_redaction, threshold: 0.${(i % 9) + 1}}]}}`);
    lines.push(`    policy: {codes: {code: {$append: 'tool "t${i}" { hard deny when x.tags overlaps {"s${i}"}; }'}}}`);
    lines.push(`    config: {llm: {pllm: {seed: ${i}, logit_bias: {"${i}": -1}}}}`);
  }
  return lines.join("\n") + "\n";
}
