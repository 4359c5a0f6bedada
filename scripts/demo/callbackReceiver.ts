import * as http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The demo's own callback endpoint: the URL its API inbox is created with, where Chatwoot POSTs a
 * JSON payload for every event of the inbox (`event`: message_created, conversation_created, …;
 * chatwoot app/listeners/webhook_listener.rb, `deliver_api_inbox_webhooks`, sent by
 * app/jobs/webhook_job.rb). It answers 200 to everything
 * and counts the events, so the demo can show that the channel is live.
 */
export class CallbackReceiver {
  private readonly counts = new Map<string, number>();
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      this.record(Buffer.concat(chunks).toString("utf8"));
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  private address = "";

  /** Listens on loopback, on a free port: only a Chatwoot on this machine (the emulator) reaches it. */
  static async start(): Promise<CallbackReceiver> {
    const receiver = new CallbackReceiver();
    await new Promise<void>((resolve, reject) => {
      receiver.server.once("error", reject);
      receiver.server.listen(0, "127.0.0.1", resolve);
    });
    const { port } = receiver.server.address() as AddressInfo;
    receiver.address = `http://127.0.0.1:${port}/chatwoot-callbacks`;
    return receiver;
  }

  /** The URL to give the API inbox as its `webhook_url`. */
  get url(): string {
    return this.address;
  }

  /** Callbacks received so far, by event, in alphabetical order. */
  byEvent(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(body: string): void {
    let event = "(not JSON)";
    try {
      const parsed = JSON.parse(body) as { event?: unknown };
      event = typeof parsed.event === "string" ? parsed.event : "(no event)";
    } catch {
      // Counted under its own heading: a callback that is not JSON is worth seeing.
    }
    this.counts.set(event, (this.counts.get(event) ?? 0) + 1);
  }
}
