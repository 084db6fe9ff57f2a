import { useCallback, useEffect, useState } from "preact/hooks";
import { QueueStatsQuery } from "../api/operations.js";
import type { DashboardQueueStatsQuery } from "../gql/graphql.js";
import { messageOf } from "../format.js";
import { useSession } from "../session.js";
import { Alert } from "../ui/message.js";
import { useVisibleInterval } from "../ui/use-visible-interval.js";
import { DeadLetters } from "./dead-letters.js";
import { QueueControls } from "./queue-controls.js";

type QueueStats = DashboardQueueStatsQuery["queueStats"][number];

const refreshEveryMs = 3_000;

const count = (n: number | null | undefined) => (n == null ? "—" : String(n));

/** For admins: each job type's backlog, refreshed every few seconds; managed one at a time: its queue controls (pause, concurrency, purge) and its dead letters with redrive. */
export function AdminPanel() {
  const { request } = useSession();
  const [stats, setStats] = useState<QueueStats[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openType, setOpenType] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setStats((await request(QueueStatsQuery, {})).queueStats);
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, [request]);

  useEffect(() => void load(), [load]);
  useVisibleInterval(load, refreshEveryMs);
  const openRow = stats?.find((row) => row.type === openType) ?? null;

  return (
    <section class="card" aria-labelledby="admin-title">
      <h2 id="admin-title">Queues</h2>
      <p class="hint small">
        Every job type's backlog, refreshed every {refreshEveryMs / 1000} s. A dash: the broker did not answer. Concurrency is per worker process.
      </p>
      <Alert text={error} />
      {stats ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Queue statistics per job type</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col" class="num">Queued</th>
                <th scope="col" class="num">Running</th>
                <th scope="col" class="num">Retrying</th>
                <th scope="col" class="num">Ready messages</th>
                <th scope="col" class="num">Consumers</th>
                <th scope="col" class="num">Dead letters</th>
                <th scope="col" class="num">Concurrency</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {stats.map((row) => (
                <tr key={row.type} data-type={row.type}>
                  <th scope="row">
                    {row.type}
                    {row.paused ? (
                      <span class="badge paused" data-paused="true">
                        Paused
                      </span>
                    ) : null}
                  </th>
                  <td class="num">{row.queued}</td>
                  <td class="num">{row.running}</td>
                  <td class="num">{row.retrying}</td>
                  <td class="num">{count(row.ready)}</td>
                  <td class="num">{count(row.consumers)}</td>
                  <td class="num">{count(row.deadLettered)}</td>
                  <td class="num">
                    {row.concurrency}
                    {row.concurrency !== row.defaultConcurrency ? <span class="muted small block">default {row.defaultConcurrency}</span> : null}
                  </td>
                  <td>
                    <button
                      type="button"
                      class="secondary small-button"
                      aria-expanded={openType === row.type}
                      onClick={() => setOpenType(openType === row.type ? null : row.type)}
                    >
                      {openType === row.type ? "Hide" : "Manage"}
                      <span class="visually-hidden"> {row.type}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="muted" aria-busy="true">
          Loading…
        </p>
      )}
      {openRow ? <QueueControls key={openRow.type} row={openRow} onChanged={() => void load()} /> : null}
      {openType ? <DeadLetters key={openType} type={openType} onRedriven={() => void load()} /> : null}
    </section>
  );
}
