import { readFileSync } from "node:fs";
import { buildSchema, Kind, parse, validate, type OperationDefinitionNode } from "graphql";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { devTokenIssuer } from "../../src/http/routes/dev-token-route.js";
import { exampleOperations, graphiqlDeveloper, graphiqlOptions } from "../../src/http/graphql/graphiql-options.js";

const schema = buildSchema(readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8"));

describe("GraphiQL's example operations", () => {
  const document = parse(exampleOperations);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);

  it("are valid against schema.graphql", () => {
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
  });

  it("cover reading, submitting, listing, following and an admin query, each named", () => {
    const rootFields = operations.map((operation) => {
      const field = operation.selectionSet.selections[0]!;
      return `${operation.operation} ${field.kind === Kind.FIELD ? field.name.value : "?"}`;
    });
    expect(rootFields).toEqual(
      expect.arrayContaining(["query me", "query jobTypes", "mutation submitJob", "query jobs", "subscription jobUpdated", "subscription jobEvents", "query queueStats", "query users", "mutation grantCredits"]),
    );
    expect(operations.every((operation) => operation.name)).toBe(true);
  });
});

describe("graphiqlOptions", () => {
  it("turns GraphiQL off in production", () => {
    expect(graphiqlOptions({ production: true, devTokens: null })).toBe(false);
  });

  it("outside development, shows where a token comes from", () => {
    const options = graphiqlOptions({ production: false, devTokens: null });
    expect(options).toMatchObject({ title: "Job gateway", defaultQuery: exampleOperations });
    expect(JSON.parse((options as { headers: string }).headers)).toEqual({ Authorization: "Bearer <npm run token -- --sub alice>" });
  });

  it("in development, signs a developer's admin token on each page load", async () => {
    const options = graphiqlOptions({ production: false, devTokens: devTokenIssuer(loadConfig({ NODE_ENV: "development" })) });
    expect(options).toBeTypeOf("function");
    const page = await (options as () => Promise<{ headers: string; defaultHeaders: string; defaultQuery: string }>)();
    const authorization = JSON.parse(page.headers).Authorization as string;
    expect(authorization).toMatch(/^Bearer /);
    expect(decodeJwt(authorization.slice("Bearer ".length))).toMatchObject({ sub: graphiqlDeveloper, role: "admin" });
    expect(page.defaultHeaders).toBe(page.headers);
    expect(page.defaultQuery).toBe(exampleOperations);
  });
});
