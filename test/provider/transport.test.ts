import { strict as assert } from "node:assert";
import dns from "node:dns";
import * as http from "node:http";
import * as net from "node:net";
import { ChatwootNetworkError } from "../../provider/client/errors";
import { send } from "../../provider/client/transport";

/** One HTTP exchange as the client sends it, over loopback servers made for each case. No retries here. */
describe("HTTP transport", () => {
  const servers: net.Server[] = [];
  const sockets: net.Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    for (const server of servers.splice(0))
      await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function listen(server: net.Server): Promise<string> {
    servers.push(server);
    server.on("connection", (socket: net.Socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  }

  const get = (url: string) =>
    send({ method: "GET", path: "/x", url: `${url}/x`, headers: {}, timeoutMs: 2_000 });

  it("reads an answer without a content type as having none", async () => {
    const url = await listen(http.createServer((_req, res) => res.end("ok")));
    const response = await get(url);
    assert.equal(response.status, 200);
    assert.equal(response.contentType, "");
    assert.equal(response.body, "ok");
  });

  it("keeps the connection open between requests (keep-alive), as a large stack needs", async () => {
    const ports: number[] = [];
    const url = await listen(
      http.createServer((req, res) => {
        ports.push(req.socket.remotePort ?? 0);
        res.end("{}");
      }),
    );
    await get(url);
    await get(url);
    assert.equal(ports.length, 2);
    assert.equal(ports[0], ports[1], "the second request came on a new connection");
  });

  it("names the error code of a server that answers something that is not HTTP, never the URL", async () => {
    const url = await listen(net.createServer((socket) => socket.end("garbage\r\n\r\n")));
    const error = await get(url).catch((e: unknown) => e);
    assert.ok(error instanceof ChatwootNetworkError, String(error));
    assert.match(error.code ?? "", /^HPE_/);
    assert.equal(error.message, `GET /x failed: network error ${error.code}`);
    assert.equal(error.outcome, "unknown");
  });

  it("names the kind of a failure that has no code, and the URL stays out of it", async () => {
    // node-fetch refuses any other protocol before sending, with a TypeError quoting the URL.
    const error = await get("ftp://user:secret@127.0.0.1:1").catch((e: unknown) => e);
    assert.ok(error instanceof ChatwootNetworkError, String(error));
    assert.equal(error.code, undefined);
    assert.equal(error.message, "GET /x failed: network error (TypeError)");
  });

  it("says when the host name cannot be resolved", async () => {
    // The resolver is replaced for this one lookup: whether a real one answers NXDOMAIN or cannot be
    // reached depends on the machine, and only Node's own ENOTFOUND is under test here.
    const realLookup = dns.lookup;
    const writable = dns as { lookup: unknown };
    writable.lookup = (hostname: string, _options: unknown, callback: (error: Error) => void) =>
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }));
    try {
      const error = await get("http://chatwoot.invalid").catch((e: unknown) => e);
      assert.ok(error instanceof ChatwootNetworkError, String(error));
      assert.equal(error.code, "ENOTFOUND");
      assert.equal(error.message, "GET /x failed: the host name could not be resolved");
    } finally {
      writable.lookup = realLookup;
    }
  });

  it("speaks TLS to an https URL: a plain-http server there fails the handshake", async () => {
    const url = await listen(http.createServer((_req, res) => res.end("{}")));
    const error = await get(url.replace("http:", "https:")).catch((e: unknown) => e);
    assert.ok(error instanceof ChatwootNetworkError, String(error));
    // The TLS layer fails on the server's plain-text answer (EPROTO; some OpenSSL builds name it
    // ERR_SSL_…). ERR_INVALID_PROTOCOL would mean the request was handed to a plain-http agent.
    assert.match(error.code ?? "", /^(EPROTO|ERR_SSL_)/);
    assert.equal(error.message, `GET /x failed: network error ${error.code}`);
  });
});
