/**
 * Per-user limits on submits (and retries), held on the user's row so that
 * every gateway sees the same numbers.
 *
 * Submit rate: a token bucket. It holds up to `burst` tokens and refills at
 * `ratePerSecond`; a submit takes one. The row keeps the tokens left and
 * when they were counted; the tokens now are
 *   min(burst, tokens + max(0, now - countedAt) * ratePerSecond)
 * (a never-counted bucket is full). Burst and rate are not stored, so a
 * changed configuration applies at once.
 *
 * Unfinished jobs: a user may have at most `maxUnfinishedJobs` jobs QUEUED,
 * RUNNING or RETRYING.
 *
 * The rate is checked in the conditional UPDATE that takes the credits, the
 * cap right after it while that UPDATE holds the user's row; a refused
 * submit rolls back, so it consumes no token and writes nothing.
 */

export interface SubmitLimits {
  burst: number;
  ratePerSecond: number;
  maxUnfinishedJobs: number;
}

/** What the user's row held when a charge was refused. */
export interface ChargeState {
  balance: number;
  /** Tokens in the bucket at the time of the refusal (refill included). */
  tokens: number;
}

export type ChargeRefusal =
  | { kind: "rate-limited"; retryAfterMs: number }
  | { kind: "too-many-unfinished"; unfinishedJobs: number; retryAfterMs: number }
  | { kind: "insufficient-balance"; balance: number };

/**
 * How long a client over the unfinished-jobs cap should wait: a hint only,
 * since the cap lifts when one of its jobs finishes.
 */
export const unfinishedRetryAfterMs = 1_000;

/** Milliseconds until the bucket holds a whole token again (0 when it does). */
export function msUntilNextToken(tokens: number, ratePerSecond: number): number {
  if (tokens >= 1) return 0;
  return Math.max(1, Math.ceil(((1 - tokens) / ratePerSecond) * 1000));
}

/**
 * Why the conditional UPDATE refused a charge of `cost`, the rate first
 * (wait a moment), then the balance. Null when nothing stands in the way
 * (the row changed since the refusal).
 */
export function chargeRefusal(state: ChargeState, cost: number, limits: SubmitLimits): ChargeRefusal | null {
  if (state.tokens < 1) return { kind: "rate-limited", retryAfterMs: msUntilNextToken(state.tokens, limits.ratePerSecond) };
  if (state.balance < cost) return { kind: "insufficient-balance", balance: state.balance };
  return null;
}

/** The refusal of a charge that found the user at the cap on unfinished jobs. */
export const atUnfinishedCap = (unfinishedJobs: number): ChargeRefusal => ({
  kind: "too-many-unfinished",
  unfinishedJobs,
  retryAfterMs: unfinishedRetryAfterMs,
});

/** The metric label of a refused submit. */
export function rejectionReason(refusal: ChargeRefusal): "rate_limited" | "unfinished_jobs" | "insufficient_balance" {
  switch (refusal.kind) {
    case "rate-limited":
      return "rate_limited";
    case "too-many-unfinished":
      return "unfinished_jobs";
    case "insufficient-balance":
      return "insufficient_balance";
  }
}
