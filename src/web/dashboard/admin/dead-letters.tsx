import { useCallback, useEffect, useState } from "preact/hooks";
import { DeadLettersQuery, RedriveDeadLettersMutation } from "../api/operations.js";
import type { DashboardDeadLettersQuery } from "../gql/graphql.js";
import { messageOf } from "../format.js";
import { useSession } from "../session.js";
import { StatusMessage, type Message } from "../ui/message.js";

type DeadLetter = DashboardDeadLettersQuery["deadLetters"][number];

const shown = 20;

/** The first dead letters of one job type, and a button that moves them back to the work queue. */
export function DeadLetters({ type, onRedriven }: { type: string; onRedriven(): void }) {
  const { request } = useSession();
  const [letters, setLetters] = useState<DeadLetter[] | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setLetters((await request(DeadLettersQuery, { type, first: shown })).deadLetters);
    } catch (err) {
      setMessage({ kind: "error", text: messageOf(err) });
    }
  }, [request, type]);

  useEffect(() => void load(), [load]);

  async function redrive() {
    setBusy(true);
    setMessage(null);
    try {
      const { redriveDeadLetters: moved } = await request(RedriveDeadLettersMutation, { type });
      setMessage({ kind: "ok", text: `Moved ${moved} ${moved === 1 ? "message" : "messages"} back to the ${type} queue.` });
      onRedriven();
      await load();
    } catch (err) {
      setMessage({ kind: "error", text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  const titleId = `dead-letters-${type.replace(/[^\w-]/g, "_")}`;
  return (
    <section class="dead-letters" aria-labelledby={titleId}>
      <div class="card-head">
        <h3 id={titleId}>Dead letters of {type}</h3>
        <button type="button" disabled={busy || !letters?.length} onClick={() => void redrive()}>
          {busy ? "Redriving…" : "Redrive"}
          <span class="visually-hidden"> dead letters of {type}</span>
        </button>
      </div>
      <StatusMessage message={message} />
      {letters === null ? (
        <p class="muted">Loading…</p>
      ) : letters.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul class="letters">
          {letters.map((letter, index) => (
            <li key={`${letter.jobId ?? "?"}-${index}`}>
              <p class="small">
                <span class="mono">{letter.jobId ?? "no job id"}</span>
                {letter.reason ? <span class="muted"> · {letter.reason}</span> : null}
              </p>
              <pre class="small">{letter.body.length > 2_000 ? `${letter.body.slice(0, 2_000)}…` : letter.body}</pre>
            </li>
          ))}
        </ul>
      )}
      {letters && letters.length === shown ? <p class="muted small">The first {shown} are shown; Redrive moves up to 100.</p> : null}
    </section>
  );
}
