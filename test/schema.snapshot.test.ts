import { printSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../src/schema/index.js";

describe("GraphQL schema", () => {
  // schema.graphql at the repo root is the contract clients generate their
  // types from. A change to it is a change to the public API: when it is
  // intended, accept it with `npx vitest run -u` and commit the new file
  // with the change; when it is not, this test caught it.
  it("matches the committed schema.graphql", async () => {
    // With a final newline, so the file is byte for byte what `npm run --silent schema:print` prints.
    await expect(`${printSchema(schema)}\n`).toMatchFileSnapshot("../schema.graphql");
  });
});
