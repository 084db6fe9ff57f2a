import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext } from "graphql";
import type { Plugin } from "graphql-yoga";
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesPlugin } from "@escape.tech/graphql-armor-max-directives";
import type { Limits } from "../../config.js";
import { useDocumentSizeLimit } from "./document-size.js";
import { useFragmentCyclesFirst } from "./fragment-cycles-first.js";
import { maxMutationFieldsRule } from "./mutation-fields-rule.js";

type ArmorReject = (context: ValidationContext | null, error: GraphQLError) => void;

// graphql-armor's errors have no code and a "Syntax Error: " prefix; ours carry the documented code.
const armorMessage = (error: GraphQLError) => error.message.replace(/^Syntax Error: /, "");

/** Reports the limit as a validation error with `code` (and `limit`), instead of armor's bare throw. */
const reportAs =
  (code: string, limit?: string): ArmorReject =>
  (context, error) => {
    context?.reportError(new GraphQLError(armorMessage(error), { extensions: { code, ...(limit ? { limit } : {}) } }));
  };

/**
 * Document limits checked before execution, the same for HTTP (POST, GET,
 * SSE) and graphql-ws (whose parse and validate come from `getEnveloped`):
 * tokens and nesting before parsing (document-size.ts), so an oversized
 * document is never built into an AST; fragment cycles before any other
 * rule, which could recurse around them (fragment-cycles-first.ts); depth
 * (introspection aside, so GraphiQL works), aliases, directives and
 * mutation root fields while validating (graphql-armor and one rule of
 * ours); introspection too when it is off (production's default).
 */
export function documentLimitPlugins(limits: Limits, options: { introspection: boolean }): Plugin[] {
  return [
    // Not @graphql-yoga/plugin-disable-introspection: it keys on the HTTP request, so graphql-ws would slip by.
    ...(options.introspection ? [] : [{ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) } satisfies Plugin]),
    useDocumentSizeLimit(limits.maxQueryTokens),
    useFragmentCyclesFirst(),
    maxDepthPlugin({
      n: limits.maxQueryDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [reportAs("QUERY_TOO_DEEP")],
    }),
    maxAliasesPlugin({
      n: limits.maxQueryAliases,
      // Every alias counts: thousands of aliased __typename still cost a response each.
      allowList: [],
      propagateOnRejection: false,
      onReject: [reportAs("QUERY_TOO_COMPLEX", "aliases")],
    }),
    maxDirectivesPlugin({
      n: limits.maxQueryDirectives,
      propagateOnRejection: false,
      onReject: [reportAs("QUERY_TOO_COMPLEX", "directives")],
    }),
    {
      onValidate({ addValidationRule }) {
        addValidationRule(maxMutationFieldsRule(limits.maxMutationFields));
      },
    },
  ];
}
