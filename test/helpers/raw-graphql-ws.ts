import WebSocket from "ws";

export interface GraphQLWsMessage {
  type: string;
  id?: string;
  payload?: any;
}

export interface SocketClose {
  code: number;
  reason: string;
  /** Date.now() when the close arrived. */
  at: number;
}

/**
 * A graphql-transport-ws socket driven by hand, for tests about the protocol
 * itself: close codes, acks, oversized or unauthenticated messages. Every
 * message received is kept in `messages`.
 */
export class RawGraphqlWs {
  readonly messages: GraphQLWsMessage[] = [];
  // By operation id: tests that open thousands of operations look them up on every message.
  private readonly byId = new Map<string, GraphQLWsMessage[]>();
  /** Resolves when the socket closes, however it closes. */
  readonly closed: Promise<SocketClose>;
  private closeEvent: SocketClose | null = null;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      let message: GraphQLWsMessage;
      try {
        message = JSON.parse(String(data)) as GraphQLWsMessage;
      } catch {
        message = { type: "unparsable", payload: String(data) };
      }
      this.messages.push(message);
      if (message.id !== undefined) this.byId.set(message.id, [...(this.byId.get(message.id) ?? []), message]);
      this.notify();
    });
    this.closed = new Promise((resolve) => {
      socket.on("close", (code, reason) => {
        this.closeEvent = { code, reason: String(reason), at: Date.now() };
        resolve(this.closeEvent);
        this.notify();
      });
    });
    // Errors (a reset after a refused message) end in "close", which is what tests look at.
    socket.on("error", () => {});
  }

  /** Opens a socket with the graphql-transport-ws subprotocol. */
  static open(httpUrl: string): Promise<RawGraphqlWs> {
    const socket = new WebSocket(httpUrl.replace(/^http/, "ws"), "graphql-transport-ws");
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(new RawGraphqlWs(socket)));
      socket.once("error", reject);
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: GraphQLWsMessage | string): void {
    this.socket.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** Sends connection_init, with `Authorization: Bearer <token>` in its payload when a token is given. */
  init(token?: string): void {
    this.send({ type: "connection_init", payload: token ? { authorization: `Bearer ${token}` } : {} });
  }

  /** init, then waits for connection_ack (fails if the socket closes instead, or after `timeoutMs`). */
  async initAndAck(token?: string, timeoutMs?: number): Promise<void> {
    this.init(token);
    await this.waitFor(() => this.messages.some((m) => m.type === "connection_ack"), { what: "connection_ack", timeoutMs });
  }

  subscribe(id: string, query: string, variables: Record<string, unknown> = {}): void {
    this.send({ id, type: "subscribe", payload: { query, variables } });
  }

  /** The messages of operation `id`, in arrival order. */
  about(id: string): GraphQLWsMessage[] {
    return this.byId.get(id) ?? [];
  }

  /** How many of the operations `ids` have had at least one message. */
  answered(ids: string[]): number {
    return ids.filter((id) => this.byId.has(id)).length;
  }

  /** Waits until `check()` is true; fails after `timeoutMs` (default 5 s) or when the socket closes first. */
  async waitFor(check: () => boolean, options: { timeoutMs?: number; what?: string } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 5_000);
    for (;;) {
      if (check()) return;
      const state = () => `messages: ${JSON.stringify(this.messages).slice(0, 2_000)}; close: ${JSON.stringify(this.closeEvent)}`;
      if (this.closeEvent) throw new Error(`socket closed while waiting for ${options.what ?? "a condition"}; ${state()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? "a condition"}; ${state()}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(1, deadline - Date.now()));
        this.waiters.add(wake);
      });
    }
  }

  /** How the socket closed; fails if it is still open after `timeoutMs`. */
  async closedWithin(timeoutMs: number): Promise<SocketClose> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(code?: number): void {
    this.socket.close(code);
  }

  terminate(): void {
    this.socket.terminate();
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

/**
 * Sends one WebSocket message as many frames, chunk by chunk (respecting
 * back-pressure), and stops as soon as the socket is no longer open: a server
 * that refuses an oversized message early is seen to do so.
 */
export async function sendFragmentedMessage(
  socket: WebSocket,
  chunks: AsyncIterable<Buffer>,
): Promise<{ bytesSent: number; stoppedEarly: boolean }> {
  let bytesSent = 0;
  let pending: Buffer | null = null;
  const sendFrame = (data: Buffer, fin: boolean) =>
    new Promise<void>((resolve) => socket.send(data, { fin, binary: false }, () => resolve()));
  for await (const chunk of chunks) {
    if (socket.readyState !== WebSocket.OPEN) return { bytesSent, stoppedEarly: true };
    // One chunk behind, so the last one goes out with fin.
    if (pending) {
      await sendFrame(pending, false);
      bytesSent += pending.length;
    }
    pending = chunk;
  }
  if (socket.readyState !== WebSocket.OPEN) return { bytesSent, stoppedEarly: true };
  if (pending) {
    await sendFrame(pending, true);
    bytesSent += pending.length;
  }
  return { bytesSent, stoppedEarly: false };
}
