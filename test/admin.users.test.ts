import { drizzle } from "drizzle-orm/postgres-js";
import { graphql } from "graphql";
import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { signAccessToken } from "../src/auth/tokens.js";
import * as dbSchema from "../src/db/schema.js";
import { schema } from "../src/schema/index.js";
import type { GraphQLContext } from "../src/schema/context.js";
import { gql, gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { submitJobMutation } from "./helpers/queries.js";
import { testJwtSecret, tokenFor, useTestApp } from "./helpers/test-app.js";

// A gateway without consumers: submitted jobs stay QUEUED.
const t = useTestApp({ overrides: { ROLE: "gateway" } });

const tokenWithEmail = (sub: string, email?: string) => signAccessToken(testJwtSecret, { sub, email, expiresIn: "1h" });

const userQuery = "query ($subject: String!) { user(subject: $subject) { id subject email role balance } }";
const usersQuery = "query ($search: String, $first: Int) { users(search: $search, first: $first) { subject email } }";
const allJobsQuery = "{ jobs(first: 100) { edges { node { id owner { id subject email } } } } }";

let alice: string;
let bob: string;
let admin: string;
const submitted: Record<string, string[]> = { "user-alice": [], "user-bob": [] };

beforeAll(async () => {
  alice = await tokenWithEmail("user-alice", "Alice@Example.com");
  bob = await tokenWithEmail("user-bob", "bob@corp.test");
  admin = await tokenFor("operator", { admin: true });
  // Seen once each, so provisioned: Carol_1 has no email; "percent" checks that % in a search is no wildcard.
  for (const token of [alice, bob, admin, await tokenFor("Carol_1"), await tokenFor("percent")]) await gqlData(t.app.url, "{ me { id } }", {}, token);
  for (const [subject, token, count] of [["user-alice", alice, 2], ["user-bob", bob, 1]] as const) {
    await grant(t.env.sql, subject, 5);
    for (let i = 0; i < count; i++) {
      const data = await gqlData(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params: { steps: 0 } } }, token);
      submitted[subject]!.push(data.submitJob.job.id);
    }
  }
});

describe("admin only", () => {
  it.each([
    ["user(subject:)", userQuery, { subject: "user-bob" }],
    ["users", usersQuery, {}],
    ["users(search:)", usersQuery, { search: "bob" }],
  ])("%s for a user: FORBIDDEN, nothing read", async (_name, query, variables) => {
    const answer = await gql(t.app.url, query, variables, alice);
    // A nullable root field (user) answers null, a non-null one (users) nulls the whole data.
    expect(Object.values(answer.data ?? {}).filter((value) => value !== null)).toEqual([]);
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });

  it("without a token: UNAUTHENTICATED", async () => {
    const answer = await gql(t.app.url, usersQuery, {});
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("user(subject:)", () => {
  it("finds a user by the exact subject, with email, role and balance", async () => {
    const [row] = await t.env.sql<{ id: string; balance: number }[]>`select id, balance from users where subject = 'user-alice'`;
    const data = await gqlData(t.app.url, userQuery, { subject: "user-alice" }, admin);
    expect(data.user).toEqual({ id: row!.id, subject: "user-alice", email: "Alice@Example.com", role: "USER", balance: row!.balance });
  });

  it("is null for a subject nobody has (matching is exact, not a search)", async () => {
    for (const subject of ["nobody", "user-", "USER-ALICE"]) {
      expect((await gqlData(t.app.url, userQuery, { subject }, admin)).user, subject).toBeNull();
    }
  });

  it("a subject with NUL: BAD_USER_INPUT", async () => {
    const answer = await gql(t.app.url, userQuery, { subject: "a\u0000" }, admin);
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("users(search:, first:)", () => {
  const subjects = async (variables: Record<string, unknown>) =>
    (await gqlData(t.app.url, usersQuery, variables, admin)).users.map((u: { subject: string }) => u.subject);

  it("finds by subject, case-insensitive and anywhere in it", async () => {
    expect(await subjects({ search: "ALICE" })).toEqual(["user-alice"]);
    expect(await subjects({ search: "er-b" })).toEqual(["user-bob"]);
  });

  it("finds by email, case-insensitive", async () => {
    expect(await subjects({ search: "alice@example.COM" })).toEqual(["user-alice"]);
    // In bob's email only, not in his subject.
    expect(await subjects({ search: "corp.test" })).toEqual(["user-bob"]);
  });

  it("answers in alphabetical order of subject; without a search, every user", async () => {
    expect(await subjects({ search: "user-" })).toEqual(["user-alice", "user-bob"]);
    const [row] = await t.env.sql<{ count: number }[]>`select count(*)::int as count from users`;
    const all = await subjects({});
    expect(all).toHaveLength(row!.count);
    expect(all).toEqual([...all].sort());
    expect(await subjects({ search: "" })).toEqual(all);
  });

  it("takes % and _ as themselves, not wildcards", async () => {
    expect(await subjects({ search: "_" })).toEqual(["Carol_1"]);
    expect(await subjects({ search: "%" })).toEqual([]);
    expect(await subjects({ search: "r%t" })).toEqual([]);
  });

  it("first: at most that many, from the start of the order", async () => {
    expect(await subjects({ search: "user-", first: 1 })).toEqual(["user-alice"]);
    expect(await subjects({ first: 100 })).toEqual(await subjects({}));
  });

  it.each([0, -1, 101, 1_000_000])("first: %d is BAD_USER_INPUT", async (first) => {
    const answer = await gql(t.app.url, usersQuery, { first }, admin);
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(answer.errors?.[0]?.message).toBe("first must be between 1 and 100");
  });
});

describe("Job.owner", () => {
  it("resolves for an admin listing every user's jobs", async () => {
    const data = await gqlData(t.app.url, allJobsQuery, {}, admin);
    const owners = new Map<string, string>(data.jobs.edges.map((e: any) => [e.node.id, e.node.owner.subject]));
    expect(owners.size).toBe(3);
    for (const [subject, ids] of Object.entries(submitted)) for (const id of ids) expect(owners.get(id), id).toBe(subject);
    const bobsJob = data.jobs.edges.find((e: any) => e.node.id === submitted["user-bob"]![0]).node;
    expect(bobsJob.owner.email).toBe("bob@corp.test");
  });

  it("resolves to the caller for their own job, with their balance", async () => {
    const id = submitted["user-alice"]![0]!;
    const data = await gqlData(t.app.url, "query ($id: ID!) { job(id: $id) { owner { subject balance } } me { balance } }", { id }, alice);
    expect(data.job.owner).toEqual({ subject: "user-alice", balance: data.me.balance });
    const list = await gqlData(t.app.url, allJobsQuery, {}, alice);
    expect(list.jobs.edges.map((e: any) => e.node.owner.subject)).toEqual(["user-alice", "user-alice"]);
  });

  it("a page of jobs reads its owners in one statement, not one per job", async () => {
    const statements: string[] = [];
    const client = postgres(t.env.databaseUrl, { max: 1, onnotice: () => {}, debug: (_connection, query) => statements.push(query) });
    try {
      const db = drizzle(client, { schema: dbSchema });
      const config = t.env.config({ ROLE: "gateway" });
      const contextValue = {
        db,
        limits: config.limits,
        viewer: async () => ({ user: { id: "00000000-0000-4000-8000-000000000000" }, isAdmin: true, ownerScope: null, expiresAt: new Date(Date.now() + 60_000) }),
      } as unknown as GraphQLContext;
      const result = await graphql({ schema, source: allJobsQuery, contextValue });
      expect(result.errors).toBeUndefined();
      const edges = (result.data as any).jobs.edges;
      expect(edges).toHaveLength(3);
      const userReads = statements.filter((query) => /from "users"/i.test(query));
      expect(userReads, statements.join("\n")).toHaveLength(1);
      expect(statements.filter((query) => /from "jobs"/i.test(query))).toHaveLength(1);
    } finally {
      await client.end();
    }
  });
});
