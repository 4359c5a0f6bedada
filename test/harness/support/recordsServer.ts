/**
 * A tiny loopback HTTP "records" API for the toy dynamic provider. It lives in the test process, so a
 * test can inspect what the provider (running inside the real host process) actually sent, and can
 * change or delete records behind the provider's back to simulate drift.
 */
import * as http from "http";
import type { AddressInfo } from "net";

export interface StoredRecord {
  id: string;
  name: string;
  value: string | null;
  /** Records whose name starts with "unhealthy" are created but report `healthy: false`. */
  healthy: boolean;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export class RecordsServer {
  readonly records = new Map<string, StoredRecord>();
  readonly requests: LoggedRequest[] = [];
  private nextId = 1;
  private gate: Promise<void> | undefined;
  /** When set, requests with any other bearer token are refused with 401 (a revoked token). */
  acceptedToken: string | undefined;
  /** When set, every GET fails with 500 (a read that cannot succeed). */
  failReads = false;
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<RecordsServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const instance = new RecordsServer(server, `http://127.0.0.1:${port}`);
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
      void instance.handle(request, response);
    });
    return instance;
  }

  /** Requests other than reads, in arrival order, as `"POST /records"`-style strings. */
  writes(): string[] {
    return this.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
  }

  /** Holds every request until the returned function is called (to test deadlines without sleeping). */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  /** Resolves once `count` requests have been logged (event-driven, no polling). */
  waitForRequests(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  clearLog(): void {
    this.requests.length = 0;
  }

  byName(name: string): StoredRecord | undefined {
    return [...this.records.values()].find((record) => record.name === name);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const body = await readJson(request);
    const method = request.method ?? "GET";
    const path = request.url ?? "/";
    this.requests.push({ method, path, authorization: request.headers.authorization, body });
    for (const waiter of this.waiters.filter((w) => this.requests.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    if (this.gate) await this.gate;
    if (
      this.acceptedToken !== undefined &&
      request.headers.authorization !== `Bearer ${this.acceptedToken}`
    ) {
      return send(response, 401, { error: "invalid token" });
    }
    if (this.failReads && method === "GET") return send(response, 500, { error: "reads are failing" });

    const match = /^\/records(?:\/([^/]+))?$/.exec(path);
    if (!match) return send(response, 404, { error: `no route ${path}` });
    const id = match[1];
    if (id === undefined) {
      if (method !== "POST") return send(response, 405, { error: "method not allowed" });
      const fields = body as { name: string; value?: string | null };
      const record: StoredRecord = {
        id: String(this.nextId++),
        name: fields.name,
        value: fields.value ?? null,
        healthy: !fields.name.startsWith("unhealthy"),
      };
      this.records.set(record.id, record);
      return send(response, 201, record);
    }

    const record = this.records.get(id);
    if (!record) return send(response, 404, { error: `record ${id} not found` });
    switch (method) {
      case "GET":
        return send(response, 200, record);
      case "PUT": {
        const fields = body as { name: string; value?: string | null };
        record.name = fields.name;
        record.value = fields.value ?? null;
        record.healthy = true;
        return send(response, 200, record);
      }
      case "DELETE":
        this.records.delete(id);
        return send(response, 204, undefined);
      default:
        return send(response, 405, { error: "method not allowed" });
    }
  }
}

function readJson(request: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (text += chunk));
    request.on("end", () => resolve(text ? (JSON.parse(text) as unknown) : undefined));
  });
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}
