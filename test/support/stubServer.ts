import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface StubRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** What the stub does with one request: answer it, or drop the connection, or never answer. */
export type StubAction =
  { status: number; body?: string; headers?: Record<string, string> } | "drop" | "hang";

/** A loopback HTTP server whose answers a test scripts one request at a time. */
export class StubServer {
  readonly requests: StubRequest[] = [];
  private readonly server: http.Server;
  private readonly hanging: http.ServerResponse[] = [];

  private constructor(private readonly respond: (request: StubRequest, index: number) => StubAction) {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
        this.requests.push(request);
        const action = this.respond(request, this.requests.length - 1);
        if (action === "drop") {
          req.socket.destroy();
        } else if (action === "hang") {
          this.hanging.push(res);
        } else {
          // A Date header only where a test scripts one: the client reads it after a 429.
          res.sendDate = false;
          res.writeHead(action.status, { "content-type": "application/json", ...action.headers });
          res.end(action.body ?? "");
        }
      });
    });
  }

  static async start(respond: (request: StubRequest, index: number) => StubAction): Promise<StubServer> {
    const stub = new StubServer(respond);
    await new Promise<void>((resolve) => stub.server.listen(0, "127.0.0.1", resolve));
    return stub;
  }

  get url(): URL {
    const { port } = this.server.address() as AddressInfo;
    return new URL(`http://127.0.0.1:${port}`);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.socket?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
