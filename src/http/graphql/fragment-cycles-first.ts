import { GraphQLError, NoFragmentCyclesRule, validate } from "graphql";
import type { Plugin } from "graphql-yoga";

/**
 * Looks for fragment cycles before any other validation rule, and answers a
 * document that has one with NoFragmentCyclesRule's errors alone. graphql-js
 * runs its rules side by side, and OverlappingFieldsCanBeMerged follows
 * spreads around a cycle until the stack runs out (200 fragments in a ring
 * do) before NoFragmentCycles has reported. A stack overflow in any rule is
 * the document's shape too: QUERY_TOO_COMPLEX, not an internal error.
 */
export function useFragmentCyclesFirst(): Plugin {
  return {
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((schema, document, rules, typeInfo, options) => {
        try {
          const cycles = validate(schema, document, [NoFragmentCyclesRule]);
          return cycles.length > 0 ? cycles : validateFn(schema, document, rules, typeInfo, options);
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          return [new GraphQLError("The document is too complex to validate.", { extensions: { code: "QUERY_TOO_COMPLEX" } })];
        }
      });
    },
  };
}
