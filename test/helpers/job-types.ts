import type { z } from "zod";
import type { GatewayConfig } from "../../src/app-config/define-config.js";
import { defineJobType, type JobType, type JobTypeDefinition } from "../../src/jobs/define-job-type.js";
import { builtinConfig } from "../../src/jobs/builtin.js";
import { defineHandler, type HandlerSource, type RunJob } from "../../src/jobs/handler.js";

/** A test's job type with its handler inline: a contract that carries its `run`. */
export type TestJobType = JobType & { run?: RunJob<any> };

export function defineTestJobType<Schema extends z.ZodType>(
  definition: JobTypeDefinition<Schema> & { run: RunJob<z.output<Schema>> },
): JobType<z.output<Schema>> & { run: RunJob<z.output<Schema>> } {
  const { run, ...contract } = definition;
  return { ...defineJobType(contract), run };
}

/**
 * The app config of a test's types: each inline `run` becomes its handler; a
 * type without one (a built-in type with other settings, say) keeps the
 * built-in handler of its name, if any.
 */
export function testAppConfig(types: readonly TestJobType[], extra: Omit<GatewayConfig, "jobTypes"> = {}): GatewayConfig {
  const handlers: Record<string, HandlerSource> = {};
  for (const type of types) {
    const builtin = builtinConfig.handlers?.[type.name];
    if (type.run) handlers[type.name] = defineHandler(type, type.run);
    else if (builtin) handlers[type.name] = builtin;
  }
  return { ...extra, jobTypes: types.map(({ run: _run, ...contract }) => contract), handlers: { ...handlers, ...extra.handlers } };
}
