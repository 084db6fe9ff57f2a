import { describe, expect, it, vi } from "vitest";
import { startQueueControlsWatch } from "../../src/consumers/queue-controls-watch.js";
import type { QueueControl, QueueControlSetting } from "../../src/domain/queue-controls.js";

function setup(readSettings: () => Promise<QueueControlSetting[]>) {
  const applied: Map<string, QueueControl>[] = [];
  let notify: () => void = () => {};
  const unlisten = vi.fn(async () => {});
  const log = { info: vi.fn(), warn: vi.fn() };
  const watch = startQueueControlsWatch({
    types: [{ name: "a", concurrency: 2 }],
    readSettings,
    listen: async (onNotice) => {
      notify = onNotice;
      return unlisten;
    },
    pollMs: 60_000,
    apply: (controls) => applied.push(controls),
    log: log as never,
  });
  return { watch, applied, notice: () => notify(), unlisten, log };
}

describe("startQueueControlsWatch", () => {
  it("reads at once and applies each type's control", async () => {
    const { watch, applied } = setup(async () => [{ type: "a", paused: true, concurrency: null }]);
    await watch.started;
    expect(applied).toEqual([new Map([["a", { paused: true, concurrency: 2 }]])]);
    await watch.stop();
  });

  it("a notice during a reading makes one more reading follow it, not one at the same time", async () => {
    let reads = 0;
    let inFlight = 0;
    let mostInFlight = 0;
    let release!: () => void;
    const { watch, applied, notice } = setup(async () => {
      reads++;
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      if (reads === 1) await new Promise<void>((resolve) => (release = resolve));
      inFlight--;
      return [{ type: "a", paused: false, concurrency: reads }];
    });
    await new Promise((resolve) => setImmediate(resolve));
    notice();
    notice();
    release();
    await watch.refresh();
    expect(reads).toBe(2);
    expect(mostInFlight).toBe(1);
    expect(applied.at(-1)).toEqual(new Map([["a", { paused: false, concurrency: 2 }]]));
    await watch.stop();
  });

  it("a failed reading keeps what was applied and warns once until a reading succeeds", async () => {
    let fail = true;
    const { watch, applied, log } = setup(async () => {
      if (fail) throw new Error("database away");
      return [];
    });
    await watch.started;
    await watch.refresh();
    expect(applied).toEqual([]);
    expect(log.warn).toHaveBeenCalledTimes(1);
    fail = false;
    await watch.refresh();
    expect(applied).toEqual([new Map([["a", { paused: false, concurrency: 2 }]])]);
    expect(log.info).toHaveBeenCalledWith("queue controls read again");
    await watch.stop();
  });

  it("stop unlistens and applies nothing after", async () => {
    const { watch, applied, unlisten } = setup(async () => []);
    await watch.started;
    await new Promise((resolve) => setImmediate(resolve));
    await watch.stop();
    await watch.refresh();
    expect(applied).toHaveLength(1);
    expect(unlisten).toHaveBeenCalledTimes(1);
  });
});
