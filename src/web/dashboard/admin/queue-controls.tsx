import { useState } from "preact/hooks";
import { PauseJobTypeMutation, PurgeJobTypeMutation, ResumeJobTypeMutation, SetJobTypeConcurrencyMutation } from "../api/operations.js";
import type { DashboardQueueStatsQuery } from "../gql/graphql.js";
import { messageOf } from "../format.js";
import { useSession } from "../session.js";
import { StatusMessage, type Message } from "../ui/message.js";
import { maxConcurrency, readConcurrencyInput } from "./concurrency-input.js";

type QueueRow = DashboardQueueStatsQuery["queueStats"][number];

const jobs = (n: number) => `${n} ${n === 1 ? "job" : "jobs"}`;

/** One type's queue controls: pause or resume, its concurrency per worker, and a purge of its queued jobs behind a confirmation. */
export function QueueControls({ row, onChanged }: { row: QueueRow; onChanged(): void }) {
  const { request } = useSession();
  const [concurrency, setConcurrency] = useState(row.concurrency === row.defaultConcurrency ? "" : String(row.concurrency));
  const [issue, setIssue] = useState<string | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const slug = row.type.replace(/[^\w-]/g, "_");
  const ids = { title: `queue-controls-${slug}`, concurrency: `concurrency-${slug}`, issue: `concurrency-issue-${slug}` };

  async function run(work: () => Promise<string>) {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ kind: "ok", text: await work() });
      onChanged();
    } catch (err) {
      setMessage({ kind: "error", text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  function togglePaused() {
    void run(async () => {
      if (row.paused) {
        await request(ResumeJobTypeMutation, { type: row.type });
        return `Resumed ${row.type}: workers take its jobs again.`;
      }
      await request(PauseJobTypeMutation, { type: row.type });
      return `Paused ${row.type}: workers take no new job of it; running ones finish, queued ones wait.`;
    });
  }

  function submitConcurrency(event: Event) {
    event.preventDefault();
    const input = readConcurrencyInput(concurrency);
    if (!input.ok) {
      setIssue(input.issue);
      return;
    }
    setIssue(null);
    void run(async () => {
      const { setJobTypeConcurrency: set } = await request(SetJobTypeConcurrencyMutation, { type: row.type, concurrency: input.concurrency });
      const which = input.concurrency === null ? "its default, " : "";
      return `${row.type} runs ${which}${set.concurrency} at once per worker; workers apply it within seconds.`;
    });
  }

  function purge() {
    setConfirming(false);
    void run(async () => {
      const { purgeJobType: cancelled } = await request(PurgeJobTypeMutation, { type: row.type });
      return `Cancelled and refunded ${jobs(cancelled)} queued of ${row.type}.`;
    });
  }

  return (
    <section class="queue-controls" aria-labelledby={ids.title}>
      <h3 id={ids.title}>Queue controls of {row.type}</h3>
      <div class="form-actions">
        <span class="small">{row.paused ? "Paused: queued jobs wait, running ones finish." : "Active: workers take its jobs."}</span>
        <button type="button" class="secondary small-button" disabled={busy} onClick={togglePaused}>
          {row.paused ? "Resume" : "Pause"}
          <span class="visually-hidden"> {row.type}</span>
        </button>
      </div>
      <form class="grant-fields" onSubmit={submitConcurrency} noValidate aria-label={`Concurrency of ${row.type}`}>
        <div class="field">
          <label for={ids.concurrency}>Concurrency</label>
          <input
            id={ids.concurrency}
            type="number"
            min={1}
            max={maxConcurrency}
            step={1}
            placeholder={`default ${row.defaultConcurrency}`}
            value={concurrency}
            aria-invalid={issue ? true : undefined}
            aria-describedby={issue ? ids.issue : undefined}
            onInput={(e) => setConcurrency(e.currentTarget.value)}
          />
        </div>
        <button type="submit" disabled={busy}>
          Set
          <span class="visually-hidden"> concurrency of {row.type}</span>
        </button>
      </form>
      <p class="hint small">Attempts at once per worker process; blank for the type's default ({row.defaultConcurrency}).</p>
      {issue ? (
        <p id={ids.issue} class="issue small">
          {issue}
        </p>
      ) : null}
      <div class="form-actions purge">
        {confirming ? (
          <>
            <span class="small">
              Cancel and refund every queued job of {row.type} ({row.queued} now)? Running ones go on.
            </span>
            <button type="button" class="danger small-button" disabled={busy} onClick={purge}>
              Purge {jobs(row.queued)}
            </button>
            <button type="button" class="secondary small-button" onClick={() => setConfirming(false)}>
              Keep them
            </button>
          </>
        ) : (
          <button type="button" class="danger small-button" disabled={busy || row.queued === 0} onClick={() => setConfirming(true)}>
            Purge queued…
            <span class="visually-hidden"> jobs of {row.type}</span>
          </button>
        )}
      </div>
      <StatusMessage message={message} small />
    </section>
  );
}
