/**
 * Typed GraphQL documents for this repository's own clients.
 *
 * The gateway's contract is `schema.graphql` at the repo root (the only schema
 * file), printed from the Pothos schema by `npm run schema:print` and kept
 * honest by test/schema.snapshot.test.ts. From it and the operations written
 * with `graphql(...)` in each client, the client preset generates typed
 * documents: the dashboard's (src/web/dashboard) and the example client's
 * (examples/typed-client). Documents are strings (`documentMode: "string"`),
 * so neither client ships the graphql library to parse them.
 *
 *   npm run codegen    (the generated folders are checked in; .ci/run fails when they drift)
 */
import type { CodegenConfig } from "@graphql-codegen/cli";

const clientPreset = {
  preset: "client",
  presetConfig: { fragmentMasking: false },
  config: {
    documentMode: "string",
    useTypeImports: true,
    enumsAsTypes: true,
    // Relative imports end in .js, as Node's ESM resolution (and tsconfig's NodeNext) want.
    emitLegacyCommonJSImports: false,
    scalars: { DateTime: "string", JSON: "unknown" },
  },
} as const;

const config: CodegenConfig = {
  schema: "./schema.graphql",
  ignoreNoDocuments: true,
  generates: {
    "./src/web/dashboard/gql/": {
      ...clientPreset,
      documents: ["src/web/dashboard/**/*.{ts,tsx}", "!src/web/dashboard/gql/**"],
    },
    "./examples/typed-client/gql/": {
      ...clientPreset,
      documents: ["examples/typed-client/**/*.ts", "!examples/typed-client/gql/**"],
    },
  },
};

export default config;
