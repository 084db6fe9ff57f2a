import { GraphQLError } from "graphql";
import { callAt } from "../../timers/call-at.js";

/** graphql-ws close codes beyond the protocol's own. */
const socketCloseCodes = {
  /** The user already has MAX_SOCKETS_PER_USER open sockets on this gateway. */
  tooManySockets: 4429,
  /** The token the socket was opened with has expired (graphql-ws's Forbidden). */
  tokenExpired: 4403,
} as const;

interface ClosableSocket {
  close(code: number, reason: string): void;
}

/**
 * Per-process WebSocket limits: sockets per user (for sockets whose token
 * verified at connection_init), sockets without a valid token, operations
 * per socket, and the close of a socket when its token expires.
 */
export function createSocketLimits(limits: { maxSocketsPerUser: number; maxAnonymousSockets: number; maxSubscriptionsPerSocket: number }) {
  const socketsPerUser = new Map<string, number>();
  let anonymousSockets = 0;
  // userId null: a socket without a valid token.
  const admitted = new Map<ClosableSocket, { userId: string | null; cancelExpiry: () => void }>();

  return {
    /**
     * Counts an authenticated socket, or closes it with 4429 and returns
     * false. An admitted socket is closed with 4403 at `expiresAt`.
     */
    admit(socket: ClosableSocket, userId: string, expiresAt: Date): boolean {
      const open = socketsPerUser.get(userId) ?? 0;
      if (open >= limits.maxSocketsPerUser) {
        socket.close(socketCloseCodes.tooManySockets, `Too many sockets: at most ${limits.maxSocketsPerUser} per user`);
        return false;
      }
      socketsPerUser.set(userId, open + 1);
      const cancelExpiry = callAt(expiresAt, () => socket.close(socketCloseCodes.tokenExpired, "Forbidden: token expired"));
      admitted.set(socket, { userId, cancelExpiry });
      return true;
    },

    /** Counts a socket without a valid token, or closes it with 4429 and returns false. */
    admitAnonymous(socket: ClosableSocket): boolean {
      if (anonymousSockets >= limits.maxAnonymousSockets) {
        socket.close(socketCloseCodes.tooManySockets, `Too many sockets: at most ${limits.maxAnonymousSockets} without a valid token`);
        return false;
      }
      anonymousSockets += 1;
      admitted.set(socket, { userId: null, cancelExpiry: () => {} });
      return true;
    },

    /** Forgets a closed socket (any socket: unknown ones are ignored). */
    release(socket: ClosableSocket): void {
      const entry = admitted.get(socket);
      if (!entry) return;
      admitted.delete(socket);
      entry.cancelExpiry();
      if (entry.userId === null) {
        anonymousSockets -= 1;
        return;
      }
      const left = (socketsPerUser.get(entry.userId) ?? 1) - 1;
      if (left > 0) socketsPerUser.set(entry.userId, left);
      else socketsPerUser.delete(entry.userId);
    },

    /** TOO_MANY_SUBSCRIPTIONS when a socket's open operations (the new one included) exceed the limit. */
    operationLimitError(openOperations: number): GraphQLError | null {
      if (openOperations <= limits.maxSubscriptionsPerSocket) return null;
      return new GraphQLError(`too many operations on this socket: at most ${limits.maxSubscriptionsPerSocket}`, {
        extensions: { code: "TOO_MANY_SUBSCRIPTIONS" },
      });
    },
  };
}

export type SocketLimits = ReturnType<typeof createSocketLimits>;
