import { Kind, parse } from "graphql";
import { describe, expect, it } from "vitest";
import * as typedClient from "../../examples/typed-client/gql/graphql.js";
import { clientOperationNames } from "../../src/http/graphql/client-operation-names.js";
import { exampleOperations } from "../../src/http/graphql/graphiql-options.js";
import * as dashboard from "../../src/web/dashboard/gql/graphql.js";

/** The names of the operations in generated documents (the modules' `…Document` exports) or in one document's text. */
function operationNamesIn(documents: string[]): string[] {
  return documents.flatMap((source) =>
    parse(source).definitions.flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : [])),
  );
}
const documentsOf = (module: Record<string, unknown>) =>
  Object.entries(module)
    .filter(([name, value]) => name.endsWith("Document") && value instanceof String)
    .map(([, value]) => String(value));

describe("clientOperationNames", () => {
  it("are exactly the operation names of the dashboard, the typed client example and GraphiQL's examples", () => {
    const names = new Set([...operationNamesIn(documentsOf(dashboard)), ...operationNamesIn(documentsOf(typedClient)), ...operationNamesIn([exampleOperations])]);
    expect(names.size).toBeGreaterThan(10);
    expect([...clientOperationNames].sort()).toEqual([...names].sort());
  });
});
