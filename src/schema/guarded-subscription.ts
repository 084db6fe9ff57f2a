import { callAt } from "../timers/call-at.js";
import type { GraphQLContext, Viewer } from "./context.js";
import { codedError } from "../graphql/coded-error.js";

/** The last item of a stream whose token expired; `unlessExpired` turns it into the error. */
export const tokenExpired: unique symbol = Symbol("token expired");
export type TokenExpired = typeof tokenExpired;

/**
 * Opens a subscription for the caller: takes one of their slots (or throws
 * TOO_MANY_SUBSCRIPTIONS) before `open` does any work, counts it in the
 * metrics, and ends the stream at the token's expiry with a last
 * `tokenExpired` item. The slot is released however the stream ends,
 * including when it is abandoned before its first item.
 */
export async function guardedSubscription<T>(
  ctx: GraphQLContext,
  open: (viewer: Viewer) => Promise<AsyncIterable<T>>,
): Promise<AsyncIterableIterator<T | TokenExpired>> {
  const viewer = await ctx.viewer();
  const releaseSlot = ctx.subscriptionSlots?.acquire(viewer.user.id) ?? (() => {});
  ctx.metrics.subscriptionsActive.inc();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    releaseSlot();
    ctx.metrics.subscriptionsActive.dec();
  };
  let source: AsyncIterable<T>;
  try {
    source = await open(viewer);
  } catch (error) {
    release();
    throw error;
  }
  return untilExpiry(source, viewer.expiresAt, release);
}

/** Resolves a streamed item, or answers UNAUTHENTICATED for the expiry marker. */
export function unlessExpired<T>(item: T | TokenExpired): T {
  if (item === tokenExpired) throw codedError("token expired", "UNAUTHENTICATED");
  return item;
}

// A hand-written iterator, not an async generator: a generator's return()
// waits for its pending next(), which may never settle on a quiet stream.
function untilExpiry<T>(source: AsyncIterable<T>, expiresAt: Date, onEnd: () => void): AsyncIterableIterator<T | TokenExpired> {
  const iterator = source[Symbol.asyncIterator]();
  let hasExpired = false;
  // One expiry promise per next(), not one for the stream: racing a single
  // long-lived promise would keep a reaction per event until the expiry.
  let wakeOnExpiry: (() => void) | null = null;
  const cancelTimer = callAt(expiresAt, () => {
    hasExpired = true;
    wakeOnExpiry?.();
  });
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    cancelTimer();
    onEnd();
  };
  const finished = (): IteratorResult<T | TokenExpired> => ({ done: true, value: undefined });

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (ended) return finished();
      let result: IteratorResult<T> | TokenExpired = tokenExpired;
      if (!hasExpired) {
        const expired = new Promise<TokenExpired>((resolve) => (wakeOnExpiry = () => resolve(tokenExpired)));
        try {
          result = await Promise.race([iterator.next(), expired]);
        } catch (error) {
          end();
          throw error;
        } finally {
          wakeOnExpiry = null;
        }
      }
      if (ended) return finished();
      // The timer may fire late on a busy event loop: an item that comes in past the expiry is not sent.
      if (result !== tokenExpired && !result.done && Date.now() >= expiresAt.getTime()) result = tokenExpired;
      if (result === tokenExpired) {
        end();
        void Promise.resolve(iterator.return?.()).catch(() => {});
        return { done: false, value: tokenExpired };
      }
      if (result.done) end();
      return result;
    },
    async return() {
      const wasEnded = ended;
      end();
      if (!wasEnded) await iterator.return?.();
      return finished();
    },
    async throw(error: unknown) {
      end();
      await iterator.return?.();
      throw error;
    },
  };
}
