import { codedError } from "../../graphql/coded-error.js";

/**
 * This process's open subscriptions per user (WebSocket and SSE alike).
 * Per process on purpose: a slot lives as long as a stream on this gateway,
 * and a crashed gateway must not leave slots taken in a shared store.
 */
export function createSubscriptionSlots(maxPerUser: number) {
  const open = new Map<string, number>();
  const refusal = (userId: string) =>
    (open.get(userId) ?? 0) >= maxPerUser ? codedError(`too many open subscriptions: at most ${maxPerUser} per user`, "TOO_MANY_SUBSCRIPTIONS") : null;
  return {
    /** TOO_MANY_SUBSCRIPTIONS when `userId` has no slot left now, else null. */
    refusal,
    /** Takes a slot of `userId`, or throws TOO_MANY_SUBSCRIPTIONS; the returned release is idempotent. */
    acquire(userId: string): () => void {
      const refused = refusal(userId);
      if (refused) throw refused;
      open.set(userId, (open.get(userId) ?? 0) + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(userId) ?? 1) - 1;
        if (left > 0) open.set(userId, left);
        else open.delete(userId);
      };
    },
  };
}

export type SubscriptionSlots = ReturnType<typeof createSubscriptionSlots>;
