/** The organisation baseline and the app that imports it, shared by the imports tests. */
import { tempProject } from "../helpers.js";

export const BASELINE = "node_modules/@acme/sequrity-baseline";

// An organisation baseline: defaults with a policy file, and prod built on staging.
export const BASELINE_CONFIG = `version: 1
defaults:
  features: { agent_arch: dual-llm }
  policy:
    mode: standard
    codes: { file: policies/base.sqrt }
  config: { fsm: { max_n_turns: 10 } }
environments:
  staging:
    config: { fsm: { max_n_turns: 8 } }
  prod:
    extends: staging
    policy: { mode: strict }
`;
export const BASE_SQRT = 'tool "send_email" { hard deny when to.value in {str like w"*@gmail.com"}; }\n';

export function baseline(dir = BASELINE, config = BASELINE_CONFIG): Record<string, string> {
  return {
    [`${dir}/package.json`]: '{ "name": "@acme/sequrity-baseline", "version": "1.0.0" }\n',
    [`${dir}/sequrity.config.yaml`]: config,
    [`${dir}/policies/base.sqrt`]: BASE_SQRT,
  };
}

export const APP = `version: 1
imports:
  org: "@acme/sequrity-baseline"
defaults:
  config: { response_format: { include_program: true }, fsm: { max_n_turns: 20 } }
environments:
  dev:
    extends: org
  prod:
    extends: org/prod
    config: { fsm: { max_n_turns: 3 } }
`;

export const app = (config = APP, extra: Record<string, string> = {}) => tempProject({ "sequrity.config.yaml": config, ...baseline(), ...extra });
