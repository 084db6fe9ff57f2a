import SchemaBuilder from "@pothos/core";
import ComplexityPlugin from "@pothos/plugin-complexity";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import type { GraphQLContext } from "./context.js";
import { costError, costLimits, subscribeCostPlugin } from "./cost-budget.js";
import { authScopesOf, unauthorizedError, type AuthScopes } from "./viewer.js";

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: Date; Output: Date };
  };
}>({
  // Outermost first: the cost budget is checked before scope-auth reads the token (and provisions its user).
  plugins: [ComplexityPlugin, subscribeCostPlugin, ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  complexity: {
    defaultComplexity: 1,
    // Lists without a page size argument (jobTypes, queueStats) say their own multiplier.
    defaultListMultiplier: 10,
    limit: costLimits,
    complexityError: costError,
  },
  scopeAuth: {
    authScopes: authScopesOf,
    authorizeOnSubscribe: true,
    // A scope loader's error (a refused token) becomes the answer through unauthorizedError.
    treatErrorsAsUnauthorized: true,
    unauthorizedError,
  },
  relay: {
    // Jobs are fetched by `job(id)`; a global `node` field would only duplicate it.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    // A connection field multiplies by its page size (see `jobs`), so its edges do not multiply again.
    edgesFieldOptions: { complexity: { field: 1, multiplier: 1 } },
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
