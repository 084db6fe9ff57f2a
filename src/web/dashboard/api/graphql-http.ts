import { messageOf } from "../format.js";
import type { TypedDocumentString } from "../gql/graphql.js";

export const graphqlPath = "/graphql";

/** A GraphQL answer with errors, or no answer: `codes` holds each error's extensions.code. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly codes: readonly string[],
  ) {
    super(message);
    this.name = "GraphQLRequestError";
  }

  get unauthenticated(): boolean {
    return this.codes.includes("UNAUTHENTICATED");
  }
}

/** The gateway closed the socket because the token expired. */
export const tokenExpiredCloseCode = 4403;

/** graphql-ws reports a closed socket as a CloseEvent. */
export const isLikeCloseEvent = (value: unknown): value is { code: number; reason?: string } => typeof value === "object" && value !== null && "code" in value;

interface GraphQLErrorShape {
  message?: string;
  extensions?: { code?: unknown };
}

/** Turns a list of GraphQL errors (or anything else) into one GraphQLRequestError. */
export function requestErrorOf(errors: unknown): GraphQLRequestError {
  if (errors instanceof GraphQLRequestError) return errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const list = errors as GraphQLErrorShape[];
    const codes = list.map((e) => (typeof e.extensions?.code === "string" ? e.extensions.code : "")).filter(Boolean);
    return new GraphQLRequestError(list.map((e) => e.message ?? "error").join("; "), codes);
  }
  if (errors instanceof Error) return new GraphQLRequestError(errors.message, []);
  if (isLikeCloseEvent(errors)) {
    const { code, reason } = errors;
    return new GraphQLRequestError(`connection closed (${code}${reason ? `: ${reason}` : ""})`, code === tokenExpiredCloseCode ? ["UNAUTHENTICATED"] : []);
  }
  return new GraphQLRequestError(String(errors), []);
}

/** A query or mutation over HTTP POST, with the token as a bearer; throws GraphQLRequestError. */
export async function requestGraphQL<Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
  token: string | null,
): Promise<Result> {
  let response: Response;
  try {
    response = await fetch(graphqlPath, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch (err) {
    throw new GraphQLRequestError(`the gateway did not answer (${messageOf(err)})`, ["NETWORK"]);
  }
  let body: { data?: Result | null; errors?: unknown };
  try {
    body = await response.json();
  } catch {
    throw new GraphQLRequestError(`the gateway answered ${response.status} without GraphQL`, [`HTTP_${response.status}`]);
  }
  if (body.errors) throw requestErrorOf(body.errors);
  if (!body.data) throw new GraphQLRequestError(`the gateway answered ${response.status} without data`, [`HTTP_${response.status}`]);
  return body.data;
}
