import type { z } from "zod";
import { defaultBackoffTiersMs } from "../domain/backoff.js";

/**
 * What a gateway needs to know of a job type: its contract. It holds no
 * handler, so gateways import contracts only and workers pair each with its
 * handler (see handler.ts).
 */
export interface JobTypeDefinition<Schema extends z.ZodType = z.ZodType> {
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
  /** Attempts running at once per worker process (the consumer's prefetch). Default 1; operators may change it at run time. */
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
}

/** A job type's contract with every default filled in. `Params` is what its handler receives. */
export type JobType<Params = unknown> = Required<Omit<JobTypeDefinition, "estimateMs" | "params">> & {
  params: z.ZodType<Params>;
  /** Null when the type cannot tell. */
  estimateMs: ((params: unknown) => number) | null;
};

/** Priority a non-admin may use when the type does not say. */
export const defaultMaxUserPriority = 5;

export function defineJobType<Schema extends z.ZodType>(definition: JobTypeDefinition<Schema>): JobType<z.output<Schema>> {
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
    params: definition.params as z.ZodType<z.output<Schema>>,
    maxUserPriority,
    estimateMs: (definition.estimateMs as JobType["estimateMs"] | undefined) ?? null,
  };
}
