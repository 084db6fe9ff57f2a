import { GraphQLError } from "graphql";

/** A GraphQL error with a machine-readable code, for failures that are not data. */
export function codedError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}
