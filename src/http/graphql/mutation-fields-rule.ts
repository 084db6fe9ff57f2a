import { GraphQLError, Kind, type SelectionSetNode, type ValidationRule } from "graphql";

/**
 * A mutation may select at most `max` root fields (fragments included,
 * `__typename` aside): each `submitJob` is a transaction, so ten thousand
 * aliased ones in one document must not run.
 */
export function maxMutationFieldsRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      if (operation.operation !== "mutation") return;
      const seen = new Set<string>();
      const count = (selectionSet: SelectionSetNode): number =>
        selectionSet.selections.reduce((total, selection) => {
          if (selection.kind === Kind.FIELD) return total + (selection.name.value === "__typename" ? 0 : 1);
          if (selection.kind === Kind.INLINE_FRAGMENT) return total + count(selection.selectionSet);
          if (seen.has(selection.name.value)) return total;
          seen.add(selection.name.value);
          const fragment = context.getFragment(selection.name.value);
          return total + (fragment ? count(fragment.selectionSet) : 0);
        }, 0);
      const fields = count(operation.selectionSet);
      if (fields > max) {
        context.reportError(
          new GraphQLError(`a mutation may have at most ${max} root fields, found ${fields}`, {
            nodes: [operation],
            extensions: { code: "QUERY_TOO_COMPLEX", limit: "mutationFields" },
          }),
        );
      }
    },
  });
}
