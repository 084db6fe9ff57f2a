type Stream = AsyncIterator<unknown> & AsyncIterable<unknown> & { return(value?: unknown): Promise<IteratorResult<unknown>> };

/**
 * The operations of one graphql-ws socket, counted from their subscribe
 * message until they end. graphql-ws tracks operations by id alone: a client
 * that completes an id while its subscribe is still being prepared, then
 * subscribes with that id again, gets two running streams of which
 * graphql-ws knows one. Here each stream is counted, and every one is ended
 * when the socket closes.
 */
export function createSocketOperations() {
  let preparing = 0;
  let closed = false;
  const streams = new Set<Stream>();

  return {
    /** Operations being prepared or running. */
    get open(): number {
      return preparing + streams.size;
    },

    /** A subscribe message was accepted; `abandoned` or `started` follows. */
    preparing(): void {
      preparing += 1;
    },

    /** A prepared operation was answered with errors and never ran. */
    abandoned(): void {
      preparing -= 1;
    },

    /**
     * What a prepared operation's execute or subscribe returned. A stream is
     * handed back wrapped, and counted until it finishes or is returned.
     */
    started<T>(result: T): T | Stream {
      preparing -= 1;
      if (!isAsyncIterable(result)) return result;
      const stream = endingWith(result[Symbol.asyncIterator](), () => streams.delete(stream));
      // Started after the socket closed: nothing will read it.
      if (closed) void stream.return();
      else streams.add(stream);
      return stream;
    },

    /** The socket closed: ends every stream, those graphql-ws lost track of included. */
    async closeAll(): Promise<void> {
      closed = true;
      await Promise.allSettled([...streams].map((stream) => stream.return()));
    },
  };
}

export type SocketOperations = ReturnType<typeof createSocketOperations>;

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof (value as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === "function";

// A hand-written iterator, not an async generator: a generator's return()
// waits for its pending next(), which may never settle on a quiet stream,
// and one never started would not pass return() on to its source.
function endingWith(source: AsyncIterator<unknown>, onEnd: () => void): Stream {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  const settle = async (step: Promise<IteratorResult<unknown>>) => {
    try {
      const result = await step;
      if (result.done) end();
      return result;
    } catch (error) {
      end();
      throw error;
    }
  };
  const stream: Stream = {
    next: () => settle(source.next()),
    return: (value?: unknown) => {
      end();
      return source.return ? settle(source.return(value)) : Promise.resolve({ done: true, value });
    },
    throw: (error?: unknown) => {
      end();
      return source.throw ? settle(source.throw(error)) : Promise.reject(error);
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}
