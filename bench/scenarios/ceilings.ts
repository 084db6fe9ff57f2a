import { Connection } from "rabbitmq-client";
import postgres from "postgres";
import { declareTopology } from "../../src/broker/declare-topology.js";
import { jobsExchange, makeTopology } from "../../src/broker/topology.js";
import { emptiedVhost, freshDatabase } from "../environment.js";
import { closedLoop } from "../load.js";
import type { RunContext, Sample, Scenario } from "../scenario.js";
import { createUsers } from "../users.js";

/**
 * What PostgreSQL (and RabbitMQ) allow here, without the gateway: the submit
 * transaction through postgres.js alone, then followed by a confirmed publish
 * to a queue declared as the project's work queue.
 */
export const ceilings: Scenario = {
  name: "ceilings",
  settings: (sizes) => ({
    transaction: "BEGIN; conditional debit UPDATE users; INSERT jobs; INSERT ledger_entries; INSERT job_events; INSERT outbox; COMMIT",
    publish: "after COMMIT, one persistent mandatory publish with confirm to the jobs exchange (priority work queue)",
    inFlight: sizes.inFlight,
    postgresConnections: sizes.inFlight,
    users: sizes.ceilingUsers,
    seconds: sizes.ceilingMs / 1000,
  }),
  async run({ sizes, template, rabbitmqUrl: vhostUrl, cleanup }: RunContext): Promise<Sample[]> {
    const rabbitmqUrl = emptiedVhost(vhostUrl, cleanup);
    const url = await freshDatabase(template, cleanup);
    const sql = postgres(url, { max: sizes.inFlight, onnotice: () => {} });
    cleanup.add(() => sql.end({ timeout: 5 }));
    const { ids: users } = await createUsers(sql, sizes.ceilingUsers, 1_000_000_000);

    const connection = new Connection({ url: rabbitmqUrl, connectionName: "bench-ceiling" });
    cleanup.add(() => connection.close());
    await connection.onConnect(10_000, true);
    await declareTopology(connection, makeTopology([{ name: "demo.simulate", backoffMs: [] }]));
    const publisher = connection.createPublisher({ confirm: true, maxAttempts: 1 });
    cleanup.add(() => publisher.close());

    const submitTransaction = async (index: number): Promise<string> => {
      const userId = users[index % users.length]!;
      return sql.begin(async (tx) => {
        const [debited] = await tx`update users set balance = balance - 1 where id = ${userId} and balance >= 1 returning balance`;
        if (!debited) throw new Error("bench user ran out of credits");
        const [job] = await tx<[{ id: string }]>`
          insert into jobs (user_id, type, status, priority, params, max_attempts, cost, seq)
          values (${userId}, 'demo.simulate', 'QUEUED', 5, '{}'::jsonb, 3, 1, 1) returning id`;
        await tx`insert into ledger_entries (user_id, amount, kind, job_id) values (${userId}, -1, 'charge', ${job.id})`;
        await tx`insert into job_events (job_id, seq, status, progress) values (${job.id}, 1, 'QUEUED', 0)`;
        await tx`insert into outbox (job_id) values (${job.id})`;
        return job.id;
      });
    };

    // Warm-up: opens the pool's connections and prepares the statements.
    await closedLoop({ workers: sizes.inFlight, durationMs: sizes.warmUpMs, operation: async (_worker, index) => void (await submitTransaction(index)) });
    const transactionOnly = await closedLoop({
      workers: sizes.inFlight,
      durationMs: sizes.ceilingMs,
      operation: async (_worker, index) => void (await submitTransaction(index)),
    });
    const withPublish = await closedLoop({
      workers: sizes.inFlight,
      durationMs: sizes.ceilingMs,
      operation: async (_worker, index) => {
        const jobId = await submitTransaction(index);
        await publisher.send(
          { exchange: jobsExchange, routingKey: "demo.simulate", priority: 5, durable: true, mandatory: true, contentType: "application/json" },
          JSON.stringify({ jobId, type: "demo.simulate" }),
        );
      },
    });
    return [
      { name: "ceiling.transaction", unit: "tx/s", value: transactionOnly.completed / transactionOnly.seconds },
      { name: "ceiling.transaction+publish", unit: "tx/s", value: withPublish.completed / withPublish.seconds },
    ];
  },
};
