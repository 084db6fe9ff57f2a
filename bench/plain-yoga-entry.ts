import { createServer } from "node:http";
import { GraphQLError } from "graphql";
import { JSONResolver } from "graphql-scalars";
import { createSchema, createYoga } from "graphql-yoga";
import postgres from "postgres";
import { Connection } from "rabbitmq-client";
import { declareTopology } from "../src/broker/declare-topology.js";
import { jobsExchange, makeTopology } from "../src/broker/topology.js";
import { builtinJobTypes } from "../src/jobs/builtin.js";

// The bench's plain reference: the project's submit as a minimal graphql-yoga server would
// write it. A hand-written SDL, no Pothos, no drizzle, no auth, no limits, no hints, no outbox
// relay: the resolver runs the submit transaction with postgres.js tagged statements, then a
// confirmed, persistent, mandatory publish to the project's exchange and routing key, then
// deletes the outbox row, and answers the job id. Only the job types' contracts (cost,
// priority, attempts, params schema) and the topology's names come from the project.
// Environment: DATABASE_URL, RABBITMQ_URL, PORT (0: any), DATABASE_POOL_SIZE (default 10, as the gateway's).
const env = (name: string) => process.env[name] ?? (console.error(`${name} is required`), process.exit(2));
const sql = postgres(env("DATABASE_URL"), { max: Number(process.env.DATABASE_POOL_SIZE ?? "10"), onnotice: () => {} });
const connection = new Connection({ url: env("RABBITMQ_URL"), connectionName: "bench-plain-yoga" });
// Unheard, an "error" event would end the process.
connection.on("error", (err) => console.error(`rabbitmq: ${err.message}`));
await connection.onConnect(10_000, true);
await declareTopology(connection, makeTopology(builtinJobTypes.map((type) => ({ name: type.name, backoffMs: type.backoffMs }))));
const returned = new Set<string>();
const publisher = connection.createPublisher({ confirm: true, maxAttempts: 1, onReturn: (msg) => void (msg.messageId && returned.add(msg.messageId)) });
const types = new Map<string, (typeof builtinJobTypes)[number]>(builtinJobTypes.map((type) => [type.name, type]));

interface SubmitJobInput {
  userId: string;
  type: string;
  params: unknown;
  priority?: number | null;
}

async function submitJob(input: SubmitJobInput): Promise<string> {
  const type = types.get(input.type);
  if (!type) throw new GraphQLError(`unknown job type ${input.type}`);
  const parsed = type.params.safeParse(input.params);
  if (!parsed.success) throw new GraphQLError(`invalid params: ${parsed.error.message}`);
  const priority = input.priority ?? type.defaultPriority;
  const { jobId, outboxId } = await sql.begin(async (tx) => {
    const [debited] = await tx`update users set balance = balance - ${type.cost} where id = ${input.userId} and balance >= ${type.cost} returning balance`;
    if (!debited) throw new GraphQLError("insufficient balance");
    const [job] = await tx<[{ id: string }]>`
      insert into jobs (user_id, type, status, priority, params, max_attempts, cost, seq)
      values (${input.userId}, ${type.name}, 'QUEUED', ${priority}, ${tx.json(parsed.data as postgres.JSONValue)}, ${type.maxAttempts}, ${type.cost}, 1)
      returning id`;
    await tx`insert into ledger_entries (user_id, amount, kind, job_id) values (${input.userId}, ${-type.cost}, 'charge', ${job.id})`;
    await tx`insert into job_events (job_id, seq, status, progress) values (${job.id}, 1, 'QUEUED', 0)`;
    const [entry] = await tx<[{ id: string }]>`insert into outbox (job_id) values (${job.id}) returning id`;
    return { jobId: job.id, outboxId: entry.id };
  });
  const messageId = crypto.randomUUID();
  await publisher.send(
    { exchange: jobsExchange, routingKey: type.name, priority, messageId, durable: true, mandatory: true, contentType: "application/json" },
    JSON.stringify({ jobId, type: type.name }),
  );
  // A basic.return arrives before its confirm: an unroutable message is known by now.
  if (returned.delete(messageId)) throw new GraphQLError(`unroutable: ${type.name}`);
  await sql`delete from outbox where id = ${outboxId}`;
  return jobId;
}

const yoga = createYoga({
  schema: createSchema({
    typeDefs: /* GraphQL */ `
      scalar JSON
      input SubmitJobInput {
        userId: ID!
        type: String!
        params: JSON!
        priority: Int
      }
      type Query {
        ok: Boolean!
      }
      type Mutation {
        submitJob(input: SubmitJobInput!): ID!
      }
    `,
    resolvers: {
      JSON: JSONResolver,
      Query: { ok: () => true },
      Mutation: { submitJob: (_: unknown, args: { input: SubmitJobInput }) => submitJob(args.input) },
    },
  }),
  graphiql: false,
  landingPage: false,
  // The bench shows the answer of a failed submit: let it say why.
  maskedErrors: false,
});
// As the gateway calls it (src/http/gateway.ts): yoga as the request handler of a node:http server.
const server = createServer(async (req, res) => {
  try {
    await yoga(req, res);
  } catch (err) {
    console.error(err);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  }
});
await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? "0"), resolve));
const address = server.address();
console.log(JSON.stringify({ msg: "plain yoga started", port: typeof address === "object" && address ? address.port : 0 }));

const shutdown = async () => {
  server.closeAllConnections();
  server.close();
  await publisher.close();
  await connection.close();
  await sql.end({ timeout: 5 });
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
// Orphaned (the bench died without killing it): nobody would ever stop it.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && process.exit(1), 1_000).unref();
