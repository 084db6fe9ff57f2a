import { startPlainYoga } from "../app-processes.js";
import { submittersSetup } from "../environment.js";
import { createHttpClient, type HttpClient } from "../http-client.js";
import type { RunContext, Sample, Scenario } from "../scenario.js";
import { measureSubmits } from "./submit.js";

interface PlainAnswer {
  data?: { submitJob: string } | null;
  errors?: unknown[];
}

const plainQuery = `mutation Submit($input: SubmitJobInput!) { submitJob(input: $input) }`;

async function submitPlain(client: HttpClient, body: string): Promise<void> {
  const answer = await client.postJson<PlainAnswer>(body);
  if (typeof answer.data?.submitJob !== "string") throw new Error(`plain submitJob answered ${JSON.stringify(answer).slice(0, 300)}`);
}

/**
 * The plain reference beside the project's submit: the same submit done by
 * a minimal graphql-yoga server (bench/plain-yoga-entry.ts) in a process of
 * its own, measured as `submit` is (measureSubmits: same load generator,
 * in-flight count, users, fresh database and emptied vhost).
 */
export const plainYogaSubmit: Scenario = {
  name: "submit: plain yoga",
  settings: (sizes) => ({
    process: "bench/plain-yoga-entry.ts under tsx: graphql-yoga with a hand-written SDL, postgres.js pool of 10 (the gateway's default), no auth, limits, hints or outbox relay",
    resolver:
      "BEGIN; conditional debit UPDATE users; INSERT jobs (QUEUED, seq 1); INSERT ledger_entries; INSERT job_events; INSERT outbox; COMMIT; " +
      "persistent mandatory publish with confirm to the jobs exchange; DELETE the outbox row; answer the job id",
    answers: "after the confirm and the DELETE (the project answers at COMMIT, publishes behind the answer and deletes confirmed rows in batches)",
    connections: sizes.inFlight,
    users: sizes.inFlight,
    closedLoopSeconds: sizes.submitMs / 1000,
    halfRateSeconds: sizes.halfRateMs / 1000,
    job: "demo.simulate with params {}",
  }),
  async run({ sizes, template, rabbitmqUrl: vhostUrl, cleanup }: RunContext): Promise<Sample[]> {
    const { rabbitmqUrl, url, ids } = await submittersSetup({ template, rabbitmqUrl: vhostUrl, cleanup }, sizes.inFlight);
    const server = await startPlainYoga({ DATABASE_URL: url, RABBITMQ_URL: rabbitmqUrl }, cleanup);
    const client = createHttpClient(server.url, sizes.inFlight);
    cleanup.add(async () => client.close());
    // No token to tell the user: the input names it. One body per user, built once, as `submit` reuses its body.
    const bodies = ids.map((userId) => JSON.stringify({ query: plainQuery, variables: { input: { userId, type: "demo.simulate", params: {} } } }));
    return measureSubmits("plain-yoga.submit", sizes, (user) => submitPlain(client, bodies[user % bodies.length]!));
  },
};
