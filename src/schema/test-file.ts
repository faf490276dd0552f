/**
 * The policy-test file format (policy-tests.md): one source for validation, the TypeScript types of
 * `simulate()` and the exported `sequrity-test.schema.json` (editor completion).
 */
import * as z from "zod";
import { ENVIRONMENT_NAME } from "./config-file.js";

const EnvironmentName = z.string().regex(ENVIRONMENT_NAME).meta({ description: "An environment of the config." });
const Environments = z.array(EnvironmentName).meta({ description: "Only these environments (default: every environment)." });

const SetList = z.array(z.string()).meta({ description: 'A set of strings. ["*"] is the universal set; ["*", "!a"] is every string except "a".' });

export const MetaInput = z
  .strictObject({
    producers: SetList.optional().meta({ description: "Default: {}." }),
    consumers: SetList.optional().meta({ description: 'Default: ["*"] (universal).' }),
    tags: SetList.optional().meta({ description: "Default: {}." }),
  })
  .meta({ id: "Meta", description: "Metadata: producers, consumers, tags." });

const ResultName = z.string().min(1).meta({ description: "The name an earlier step gave its result with `as`." });

const PlainValue = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown())])
  .meta({ description: "A value with default metadata (a mapping value is written `value: {...}`)." });

const ArgumentWithMeta = z
  .strictObject({
    value: z.unknown().optional().meta({ description: "The argument's value; default: that of `from`, else null." }),
    from: z
      .union([ResultName, z.array(ResultName).min(1)])
      .optional()
      .meta({ description: "Start from earlier results: their value (a list of values for several) and the propagation of their metadata." }),
    producers: SetList.optional().meta({ description: "Replaces the producers." }),
    consumers: SetList.optional().meta({ description: "Replaces the consumers." }),
    tags: SetList.optional().meta({ description: "Replaces the tags." }),
  })
  .meta({ id: "ArgumentWithMeta" });

export const Argument = z.union([PlainValue, ArgumentWithMeta]).meta({ id: "Argument" });

const ToolResult = z
  .strictObject({
    as: ResultName.optional().meta({ description: "Names the result for a later `from`." }),
    value: z.unknown().optional().meta({ description: "What the tool returns (default null)." }),
    meta: MetaInput.optional().meta({ description: "Metadata the tool wraps its result with (fields left out take their defaults)." }),
    combine: z
      .enum(["merge", "replace", "ignore"])
      .optional()
      .meta({ description: "How `meta` combines with the arguments' metadata (combine_meta): merge (default), replace, ignore." }),
  })
  .meta({ id: "ToolResult" });

const Expect = z.enum(["allow", "deny"]).meta({ description: "The verdict the policy must give." });

export const CallStep = z
  .strictObject({
    call: z.string().min(1).meta({ description: "The tool called." }),
    args: z.record(z.string(), Argument).optional().meta({ description: "Argument name → argument." }),
    result: ToolResult.optional().meta({
      description:
        "What the tool returns when the call is allowed: `as` names it for later `from`, `value`, `meta` and `combine`. Default: a null value with default metadata.",
    }),
    expect: Expect.optional(),
    expect_result: MetaInput.optional().meta({ description: "The result's whole metadata sets after the step." }),
    expect_session: MetaInput.optional().meta({ description: "The session's whole metadata sets after the step." }),
  })
  .meta({ id: "CallStep", description: "A tool call." });

const BranchStep = z
  .strictObject({
    branch: Argument.meta({ description: "The value the planner's program branches on." }),
    expect: Expect.optional(),
  })
  .meta({ id: "BranchStep", description: "A branch in the plan on a value (branching_meta_policy)." });

const MarkerStep = z.enum(["turn", "attempt"]).meta({ description: "`turn`: a new turn (and attempt) starts; `attempt`: a new attempt starts." });

export const Step = z.union([MarkerStep, CallStep, BranchStep]).meta({ id: "Step" });

export const TestCase = z
  .strictObject({
    name: z.string().min(1).meta({ description: "Unique in the file." }),
    environments: Environments.optional(),
    session: MetaInput.optional().meta({ description: "The session's metadata when the case starts." }),
    steps: z.array(Step).min(1).meta({ description: "The calls, branches, `turn`s and `attempt`s of the case, run in order." }),
  })
  .meta({ id: "TestCase" });

export const TestFile = z
  .strictObject({
    version: z.literal(1).meta({ description: "Test file format version." }),
    environments: Environments.optional(),
    cases: z.array(TestCase).meta({ description: "The test cases; each runs in every selected environment." }),
  })
  .meta({ title: "sequrity-config policy tests", description: "Tool calls and the verdicts and metadata an environment's policy must give them." });

export type MetaInput = z.output<typeof MetaInput>;
export type Argument = z.output<typeof Argument>;
export type ArgumentWithMeta = z.output<typeof ArgumentWithMeta>;
export type ToolResult = z.output<typeof ToolResult>;
export type CallStep = z.output<typeof CallStep>;
export type BranchStep = z.output<typeof BranchStep>;
export type Step = z.output<typeof Step>;
export type TestCase = z.output<typeof TestCase>;
export type TestFile = z.output<typeof TestFile>;
