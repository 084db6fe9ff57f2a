import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { LiveClient } from "./api/live-client.js";
import type { DashboardMeQuery, TypedDocumentString } from "./gql/graphql.js";

export type Me = DashboardMeQuery["me"];

/** What every panel of a signed-in page uses: requests with the token, the socket, the user. */
export interface Session {
  request<Result, Variables>(document: TypedDocumentString<Result, Variables>, variables: Variables): Promise<Result>;
  /** The access token, for requests that are not GraphQL (tus uploads at /uploads take the same Bearer token). */
  token: string;
  live: LiveClient;
  me: Me;
  isAdmin: boolean;
  /** A balance the gateway just answered with (submit, cancel, retry). */
  setBalance(balance: number): void;
  /** Reads `me` again (after a refund, say). */
  refreshMe(): void;
  /** The gateway refused the token (expired, say): back to the sign-in form with `reason`. */
  reject(reason: string): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in page");
  return session;
}
