import type { Logger } from "pino";
import type { z } from "zod";
import { defaultBackoffTiersMs } from "../domain/backoff.js";

/** What a handler gets: helpers, never clients. */
export interface JobContext<Params> {
  jobId: string;
  /** 1 on the first attempt. */
  attempt: number;
  params: Params;
  /** Aborts on timeout, cancellation and worker shutdown; its `reason` says which. */
  signal: AbortSignal;
  /** Reports progress (0..1); writes are coalesced, the last one always lands. */
  progress(fraction: number, message?: string): Promise<void>;
  log: Logger;
}

export interface JobTypeDefinition<Schema extends z.ZodType> {
  /** Routing key and GraphQL name, e.g. "story.generate". */
  name: string;
  description: string;
  /** Credits charged on submit, refunded unless the job succeeds. */
  cost: number;
  /** 0 (lowest) to 9 (highest); a submit may override it. Default 0; at most `maxUserPriority`. */
  defaultPriority?: number;
  /**
   * Highest priority a user who is not an admin may submit (or retry) a job
   * of this type with; admins may use up to 9. Default 5. Above it the submit
   * is refused with a ValidationError naming the maximum, never clamped: a
   * client must not silently get less than it asked for.
   */
  maxUserPriority?: number;
  /** Attempts running at once per worker process (the consumer's prefetch). Default 1. */
  concurrency?: number;
  /** Longest an attempt may run before its signal aborts. Default 5 minutes. */
  timeoutMs?: number;
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** Delay before each retry; attempts past the last tier reuse it. */
  backoffMs?: readonly number[];
  /** Only registered outside production (test and demo types). */
  developmentOnly?: boolean;
  params: Schema;
  /**
   * How long an attempt with these (valid) params takes at least, where the
   * type can tell. A submit whose estimate reaches `timeoutMs` is refused:
   * it would time out on every attempt.
   */
  estimateMs?(params: z.output<Schema>): number;
  run(ctx: JobContext<z.output<Schema>>): Promise<unknown>;
}

export type JobType = Required<Omit<JobTypeDefinition<z.ZodType>, "run" | "estimateMs">> & {
  run(ctx: JobContext<unknown>): Promise<unknown>;
  /** Null when the type cannot tell. */
  estimateMs: ((params: unknown) => number) | null;
};

/** Priority a non-admin may use when the type does not say. */
export const defaultMaxUserPriority = 5;

export function defineJobType<Schema extends z.ZodType>(definition: JobTypeDefinition<Schema>): JobType {
  const maxUserPriority = definition.maxUserPriority ?? defaultMaxUserPriority;
  if ((definition.defaultPriority ?? 0) > maxUserPriority) {
    throw new Error(`job type ${definition.name}: defaultPriority ${definition.defaultPriority} is above its maxUserPriority ${maxUserPriority}`);
  }
  return {
    defaultPriority: 0,
    concurrency: 1,
    timeoutMs: 5 * 60_000,
    maxAttempts: 3,
    backoffMs: defaultBackoffTiersMs,
    developmentOnly: false,
    ...definition,
    maxUserPriority,
    run: definition.run as JobType["run"],
    estimateMs: (definition.estimateMs as JobType["estimateMs"] | undefined) ?? null,
  };
}
