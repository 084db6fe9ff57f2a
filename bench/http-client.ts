import http from "node:http";

/**
 * POSTs JSON over at most `connections` keep-alive connections (requests past
 * that wait for a free one, as a client pool does) and GETs paths on the same host.
 */
export function createHttpClient(url: string, connections: number) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });

  function request(method: string, path: string, headers: http.OutgoingHttpHeaders, body?: string, again = true): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: target.hostname, port: target.port, path, method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("error", (error: NodeJS.ErrnoException) => {
        // A kept-alive socket idle for the server's keep-alive timeout (5 s) is closed by the server;
        // a request sent on it just then gets ECONNRESET unread (Node's documented race; the open
        // loops leave sockets idle that long): sent once more, on a new socket.
        if (again && req.reusedSocket && error.code === "ECONNRESET") resolve(request(method, path, headers, body, false));
        else reject(error);
      });
      req.end(body);
    });
  }

  return {
    /** Without a token, no Authorization header (the plain reference has no auth). */
    async postJson<T>(body: string, token?: string): Promise<T> {
      const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) };
      const response = await request("POST", target.pathname, headers, body);
      if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${response.text.slice(0, 300)}`);
      return JSON.parse(response.text) as T;
    },
    get: (path: string) => request("GET", path, {}),
    close: () => agent.destroy(),
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;
