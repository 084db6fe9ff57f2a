import type { z } from "zod";
import { maxPriority } from "../broker/topology.js";
import type { Limits } from "../config.js";
import { jsonValueIssues, textProblem } from "../domain/input-checks.js";
import type { JobType } from "../jobs/index.js";
import type { ValidationIssue } from "../domain/validation-issue.js";

const maxIdempotencyKeyLength = 200;

/** Deepest nesting of arrays and objects in `params`: far beyond any job's needs, far below a stack's limit. */
const maxParamsDepth = 32;

export type SubmitInput = { params?: unknown; priority?: number | null; idempotencyKey?: string | null };

/**
 * Everything wrong with a submit, each with its path, before anything is
 * written: priority, idempotency key, then params, whose size, depth and
 * text are checked before the type's schema ever walks them.
 */
export function checkSubmitInput(type: JobType, input: SubmitInput, caller: { isAdmin: boolean }, limits: Limits) {
  const issues: ValidationIssue[] = [];
  const priority = input.priority ?? type.defaultPriority;
  const allowed = caller.isAdmin ? maxPriority : type.maxUserPriority;
  if (priority < 0 || priority > maxPriority) {
    issues.push({ path: ["input", "priority"], message: `must be between 0 and ${maxPriority}` });
  } else if (priority > allowed) {
    issues.push({ path: ["input", "priority"], message: `must be at most ${allowed} for ${type.name} (admins may use up to ${maxPriority})` });
  }
  const key = input.idempotencyKey;
  if (key != null) {
    const problem = key.length === 0 || key.length > maxIdempotencyKeyLength ? `must be 1 to ${maxIdempotencyKeyLength} characters` : textProblem(key);
    if (problem !== null) issues.push({ path: ["input", "idempotencyKey"], message: problem });
  }
  const paramsPath = ["input", "params"];
  const jsonIssues = jsonValueIssues(input.params, { maxBytes: limits.maxParamsBytes, maxDepth: maxParamsDepth });
  if (jsonIssues.length > 0) {
    issues.push(...jsonIssues.map((issue) => ({ path: [...paramsPath, ...issue.path], message: issue.message })));
    return { issues, priority, params: null };
  }
  const params = type.params.safeParse(input.params);
  if (!params.success) {
    issues.push(...zodIssues(params.error, paramsPath));
    return { issues, priority, params: null };
  }
  const estimateMs = type.estimateMs?.(params.data) ?? 0;
  if (estimateMs >= type.timeoutMs) {
    issues.push({
      path: paramsPath,
      message: `would run for at least ${estimateMs} ms, past ${type.name}'s timeout of ${type.timeoutMs} ms: every attempt would time out`,
    });
  }
  return { issues, priority, params: params.data as unknown };
}

const zodIssues = (error: z.ZodError, prefix: string[]): ValidationIssue[] =>
  error.issues.map((issue) => ({ path: [...prefix, ...issue.path.map(String)], message: issue.message }));
