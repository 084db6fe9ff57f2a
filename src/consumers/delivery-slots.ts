/**
 * The attempts of one job type a worker runs at once, counted across that
 * type's consumers: when the concurrency changes, the consumer with the new
 * prefetch starts while the old one's attempts are still running, and the
 * two together must stay within the new limit. A delivery takes a slot
 * before it claims its job and gives it back once settled; past the limit
 * it waits, in arrival order (the broker's priority order).
 *
 * A waiting delivery has claimed nothing, so when its consumer is retired
 * (paused, replaced, shutting down) it is turned away and goes back to the
 * queue at once, for this or another worker.
 */
export function createDeliverySlots(initialLimit: number) {
  let limit = initialLimit;
  let taken = 0;
  const waiting: { owner: object; admit(admitted: boolean): void }[] = [];

  const admitWaiting = () => {
    while (taken < limit && waiting.length > 0) {
      taken++;
      waiting.shift()!.admit(true);
    }
  };

  return {
    /** Slots held now. */
    get taken() {
      return taken;
    },
    /** Deliveries waiting for a slot. */
    get waiting() {
      return waiting.length;
    },
    /**
     * Resolves true once the delivery holds a slot (give it back with
     * `release`), false when `owner` (its consumer) was turned away first.
     */
    acquire(owner: object): Promise<boolean> {
      if (taken < limit && waiting.length === 0) {
        taken++;
        return Promise.resolve(true);
      }
      return new Promise((admit) => waiting.push({ owner, admit }));
    },
    release() {
      taken--;
      admitWaiting();
    },
    /** A new limit; a raised one admits waiting deliveries at once, a lowered one waits for slots to come back. */
    setLimit(next: number) {
      limit = next;
      admitWaiting();
    },
    /** Turns away the waiting deliveries of `owner`, or of every owner when none is given. */
    turnAway(owner?: object) {
      for (let i = waiting.length - 1; i >= 0; i--) {
        const entry = waiting[i]!;
        if (owner !== undefined && entry.owner !== owner) continue;
        waiting.splice(i, 1);
        entry.admit(false);
      }
    },
  };
}

export type DeliverySlots = ReturnType<typeof createDeliverySlots>;
