import { describe, expect, it } from "vitest";
import { createDeliverySlots } from "../../src/consumers/delivery-slots.js";

const settled = async <T>(promise: Promise<T>): Promise<T | "pending"> => Promise.race([promise, new Promise<"pending">((resolve) => setImmediate(() => resolve("pending")))]);

describe("createDeliverySlots", () => {
  const owner = {};

  it("admits up to the limit at once, then makes deliveries wait, in arrival order", async () => {
    const slots = createDeliverySlots(2);
    expect(await slots.acquire(owner)).toBe(true);
    expect(await slots.acquire(owner)).toBe(true);
    const third = slots.acquire(owner);
    const fourth = slots.acquire(owner);
    expect(await settled(third)).toBe("pending");
    slots.release();
    expect(await settled(third)).toBe(true);
    expect(await settled(fourth)).toBe("pending");
    expect(slots.taken).toBe(2);
    expect(slots.waiting).toBe(1);
  });

  it("a raised limit admits waiting deliveries at once", async () => {
    const slots = createDeliverySlots(1);
    await slots.acquire(owner);
    const waiting = [slots.acquire(owner), slots.acquire(owner)];
    slots.setLimit(3);
    expect(await Promise.all(waiting)).toEqual([true, true]);
    expect(slots.taken).toBe(3);
  });

  it("a lowered limit admits nothing until enough slots came back", async () => {
    const slots = createDeliverySlots(3);
    for (let i = 0; i < 3; i++) await slots.acquire(owner);
    slots.setLimit(1);
    const next = slots.acquire(owner);
    slots.release();
    slots.release();
    expect(await settled(next)).toBe("pending");
    slots.release();
    expect(await settled(next)).toBe(true);
    expect(slots.taken).toBe(1);
  });

  it("turns away only the retired consumer's waiting deliveries", async () => {
    const slots = createDeliverySlots(1);
    const retired = {};
    const current = {};
    await slots.acquire(retired);
    const old = slots.acquire(retired);
    const fresh = slots.acquire(current);
    slots.turnAway(retired);
    expect(await old).toBe(false);
    expect(await settled(fresh)).toBe("pending");
    slots.release();
    expect(await fresh).toBe(true);
  });

  it("turns away everyone waiting when no owner is named (shutdown)", async () => {
    const slots = createDeliverySlots(1);
    await slots.acquire(owner);
    const waiting = [slots.acquire(owner), slots.acquire({})];
    slots.turnAway();
    expect(await Promise.all(waiting)).toEqual([false, false]);
    expect(slots.waiting).toBe(0);
  });
});
