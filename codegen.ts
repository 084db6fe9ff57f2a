/**
 * GraphQL code generation for this repository.
 *
 * The gateway's contract is `schema.graphql` at the repo root, printed from
 * the Pothos schema (src/schema) and kept honest by test/schema.snapshot.test.ts.
 * Clients do not import anything from here: they point their own codegen at
 * `schema.graphql` (checked in) or at a running gateway's `/graphql`
 * (introspection; GraphiQL and introspection are off in production).
 *
 * This config generates nothing into src/. It only re-prints the SDL into
 * docs/ with the installed `@graphql-codegen/schema-ast` plugin, which also
 * checks that schema.graphql parses as a valid schema.
 *
 *   npm run codegen
 */
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "./schema.graphql",
  documents: [],
  generates: {
    "./docs/schema.graphql": {
      plugins: ["schema-ast"],
      config: { includeDirectives: true },
    },
  },
};

export default config;
