import type { Logger } from "pino";
import type { Sql } from "../db/client.js";
import { jobHintsChannel, jobOutputHintsChannel, parseHints, parseOutputHints, type JobEventHint } from "./job-hint-format.js";
import type { JobOutputHint } from "./job-hints.js";

export type JobEventHintListener = (hint: JobEventHint) => void;
export type JobOutputHintListener = (hint: JobOutputHint) => void;

interface Subscriber<Hint = JobEventHint> {
  onHint: (hint: Hint) => void;
  onResync?: () => void;
}

export interface JobHintListenerOptions {
  /**
   * How often every subscriber is woken to re-read, hint or not: a hint is
   * lost when its writer dies between commit and NOTIFY, or a NOTIFY fails.
   */
  pollMs: number;
}

/**
 * One LISTEN connection per process, fanned out to in-process subscribers by
 * job id and by user id, so a hint costs a lookup, not a scan of every
 * stream. A hint only says "re-read": subscribers read the rows. When the
 * connection comes back after a drop, and every `pollMs`, everyone re-reads
 * (`onResync`). Output hints (job_output_hints) reach only the subscribers
 * of a job's output, by job id.
 */
export async function createJobHintListener(sql: Sql, log: Logger, options: JobHintListenerOptions) {
  const everything = new Set<Subscriber>();
  const byJob = new Map<string, Set<Subscriber>>();
  const byUser = new Map<string, Set<Subscriber>>();
  const outputByJob = new Map<string, Set<Subscriber<JobOutputHint>>>();
  let listening = false;

  const notify = <Hint>(subscribers: Set<Subscriber<Hint>> | undefined, hint: Hint) => {
    if (subscribers) for (const subscriber of subscribers) subscriber.onHint(hint);
  };
  const resyncAll = () => {
    for (const subscribers of [everything, ...byJob.values(), ...byUser.values(), ...outputByJob.values()]) {
      for (const subscriber of subscribers) subscriber.onResync?.();
    }
  };

  const { unlisten } = await sql.listen(
    jobHintsChannel,
    (payload) => {
      const { hints, malformed } = parseHints(payload);
      if (malformed > 0) log.warn({ malformed }, "ignoring malformed job event hints");
      for (const hint of hints) {
        notify(everything, hint);
        notify(byJob.get(hint.jobId), hint);
        notify(byUser.get(hint.userId), hint);
      }
    },
    () => {
      if (listening) {
        log.info("LISTEN re-established; subscribers re-read their jobs");
        resyncAll();
      }
      listening = true;
    },
  );
  let listeningToOutput = false;
  const output = await sql.listen(
    jobOutputHintsChannel,
    (payload) => {
      const { hints, malformed } = parseOutputHints(payload);
      if (malformed > 0) log.warn({ malformed }, "ignoring malformed job output hints");
      for (const hint of hints) notify(outputByJob.get(hint.jobId), hint);
    },
    () => {
      if (listeningToOutput) for (const subscribers of outputByJob.values()) for (const subscriber of subscribers) subscriber.onResync?.();
      listeningToOutput = true;
    },
  );
  const poll = setInterval(resyncAll, options.pollMs);
  poll.unref();

  const add = (set: Set<Subscriber>, subscriber: Subscriber) => {
    set.add(subscriber);
    return () => void set.delete(subscriber);
  };
  const addKeyed = <Hint>(map: Map<string, Set<Subscriber<Hint>>>, key: string, subscriber: Subscriber<Hint>) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(subscriber);
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && map.get(key) === set) map.delete(key);
    };
  };

  return {
    /** Every hint of every job (workers watching the jobs they run). */
    subscribe: (onHint: JobEventHintListener, onResync?: () => void) => add(everything, { onHint, onResync }),
    /** Hints of one job. */
    subscribeJob: (jobId: string, onHint: JobEventHintListener, onResync?: () => void) => addKeyed(byJob, jobId, { onHint, onResync }),
    /** Hints of one user's jobs. */
    subscribeUser: (userId: string, onHint: JobEventHintListener, onResync?: () => void) => addKeyed(byUser, userId, { onHint, onResync }),
    /** Output hints of one job (a chunk of its streamed text committed). */
    subscribeOutput: (jobId: string, onHint: JobOutputHintListener, onResync?: () => void) => addKeyed(outputByJob, jobId, { onHint, onResync }),
    close: async () => {
      clearInterval(poll);
      await Promise.all([unlisten(), output.unlisten()]);
    },
  };
}

export type JobHintListener = Awaited<ReturnType<typeof createJobHintListener>>;
