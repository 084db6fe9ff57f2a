import http from "node:http";

/**
 * POSTs JSON over at most `connections` keep-alive connections (requests past
 * that wait for a free one, as a client pool does) and GETs paths on the same host.
 */
export function createHttpClient(url: string, connections: number) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });

  function request(method: string, path: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: target.hostname, port: target.port, path, method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  return {
    async postJson<T>(body: string, token: string): Promise<T> {
      const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${token}` };
      const response = await request("POST", target.pathname, headers, body);
      if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${response.text.slice(0, 300)}`);
      return JSON.parse(response.text) as T;
    },
    get: (path: string) => request("GET", path, {}),
    close: () => agent.destroy(),
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;
