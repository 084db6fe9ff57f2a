import { settledWithin } from "../timers/settled-within.js";
import { createCachedReading } from "./cached-reading.js";

export interface QueueDepthReading {
  ready: number;
  consumers: number;
  deadLettered: number;
}

export interface QueueDepthsDeps {
  types: readonly string[];
  /** One type's queue depths from the broker (two passive declares). */
  queueDepth(type: string): Promise<QueueDepthReading>;
  /** Whether the broker connection is up now: while it is not, nothing is asked. */
  connected(): boolean;
  /** How long a type's reading is reused. Default 5000. */
  maxAgeMs?: number;
  /** How long a caller waits for the broker. Default 1000. */
  timeoutMs?: number;
  /** How long a fresh read waits for the broker. Default 3000. */
  freshTimeoutMs?: number;
}

/** Each job type's queue depths, for /metrics and the start estimates alike. */
export interface QueueDepths {
  readonly types: readonly string[];
  /**
   * The type's depths, at most `maxAgeMs` old; null when the broker is down,
   * slow or has no such queue (or the type is unknown). Never rejects and
   * never waits more than `timeoutMs`.
   */
  get(type: string): Promise<QueueDepthReading | null>;
  /**
   * The type's depths read now, bypassing the cache (an admin's queueStats):
   * null when the broker is disconnected or has not answered within `freshTimeoutMs`.
   */
  fresh(type: string): Promise<QueueDepthReading | null>;
}

/**
 * One cached, time-bounded reading per type, shared by every caller in the
 * process: however many scrapes and queries ask, the broker gets at most one
 * read per type per `maxAgeMs`, and a broker that does not answer costs each
 * caller at most `timeoutMs` (nothing while it is known to be disconnected).
 */
export function createQueueDepths(deps: QueueDepthsDeps): QueueDepths {
  const options = { maxAgeMs: deps.maxAgeMs ?? 5_000, timeoutMs: deps.timeoutMs ?? 1_000 };
  const readings = new Map(
    deps.types.map((type) => [
      type,
      createCachedReading(async () => {
        if (!deps.connected()) throw new Error("broker not connected");
        return deps.queueDepth(type);
      }, options),
    ]),
  );
  return {
    types: deps.types,
    get: (type) => readings.get(type)?.get() ?? Promise.resolve(null),
    fresh: (type) => (deps.connected() ? settledWithin(deps.queueDepth(type), deps.freshTimeoutMs ?? 3_000) : Promise.resolve(null)),
  };
}
