import { getOperationAST, GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { GraphQLContext } from "../../schema/context.js";
import { authScopesOf, type AuthScopes } from "../../schema/viewer.js";

/**
 * Checks the scopes of every root field of a mutation before the first one
 * runs. Root fields run one after another, and a refused non-null field
 * nulls the whole answer: `submitJob` then `grantCredits` by a non-admin
 * would otherwise charge for a job whose id the client never sees.
 */
export function useAuthorizeMutationFirst(): Plugin<GraphQLContext> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const document = args.document as DocumentNode;
      const operation = getOperationAST(document, args.operationName);
      if (operation?.operation !== "mutation") return;
      const fragments = new Map(
        document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
      );
      const scopes = requiredScopes(args.schema, rootFieldNames(operation.selectionSet, fragments));
      const checks = authScopesOf(args.contextValue as GraphQLContext);
      for (const scope of scopes) {
        let allowed: boolean;
        try {
          allowed = await checks[scope]();
        } catch (error) {
          // A refused token: the same answer each field would have given.
          if (error instanceof GraphQLError) return setResultAndStopExecution({ data: null, errors: [error] });
          throw error;
        }
        if (!allowed) {
          return setResultAndStopExecution({
            data: null,
            errors: [new GraphQLError("admin role required", { extensions: { code: "FORBIDDEN" } })],
          });
        }
      }
    },
  };
}

function rootFieldNames(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldNames(selection.selectionSet, fragments, seen);
    const fragment = fragments.get(selection.name.value);
    if (!fragment || seen.has(fragment.name.value)) return [];
    seen.add(fragment.name.value);
    return rootFieldNames(fragment.selectionSet, fragments, seen);
  });
}

/** The scopes (`authScopes: { admin: true }` and the like) the named mutation fields declare. */
function requiredScopes(schema: GraphQLSchema, fieldNames: string[]): (keyof AuthScopes)[] {
  const fields = schema.getMutationType()?.getFields() ?? {};
  const scopes = new Set<keyof AuthScopes>();
  for (const name of fieldNames) {
    const declared = (fields[name]?.extensions as { pothosOptions?: { authScopes?: unknown } } | undefined)?.pothosOptions?.authScopes;
    if (typeof declared !== "object" || declared === null) continue;
    for (const [scope, value] of Object.entries(declared)) if (value === true) scopes.add(scope as keyof AuthScopes);
  }
  // The token first: a missing one answers UNAUTHENTICATED, not FORBIDDEN.
  return [...scopes].sort((a, b) => (a === "authenticated" ? -1 : b === "authenticated" ? 1 : 0));
}
