import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { FaultInjector, pathMatches } from "../../emulator/faults";
import { FixedWindowLimiter } from "../../emulator/rateLimit";
import { createContact, useEmulator } from "./helpers";

/** A POST over a fresh connection, reporting a dropped connection instead of throwing. */
function rawPost(
  url: string,
  token: string,
  body: unknown,
): Promise<{ status: number; text: string } | "dropped"> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const request = httpRequest(
      url,
      {
        method: "POST",
        agent: false,
        headers: {
          api_access_token: token,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on("error", () => resolve("dropped"));
    request.end(payload);
  });
}

describe("emulator: faults, rate limits and inspection", () => {
  const bed = useEmulator();

  describe("/__emulator", () => {
    it("is open only to the emulator administrator token", async () => {
      assert.equal(
        (await bed.root.get("/__emulator/summary", { token: bed.emulator.agentToken })).status,
        401,
      );
      assert.equal((await bed.root.get("/__emulator/summary", { token: null })).status, 401);
      const summary = await bed.root.get("/__emulator/summary");
      assert.equal(summary.status, 200);
      assert.deepEqual(summary.body, {
        accounts: [
          {
            accountId: bed.emulator.accountId,
            name: "Emulated Account",
            contacts: 0,
            contactInboxes: 0,
            conversations: 0,
            messages: 0,
          },
        ],
      });
    });

    it("resets the data but keeps ids and tokens", async () => {
      await createContact(bed.admin, { name: "x", inbox_id: bed.emulator.inboxId });
      assert.equal(bed.emulator.summary()[0]?.contacts, 1);
      const reset = await bed.root.post("/__emulator/reset");
      assert.equal(reset.status, 200);
      assert.equal(reset.body.adminToken, bed.emulator.adminToken);
      assert.equal(bed.emulator.summary()[0]?.contacts, 0);
      assert.equal((await bed.agent.get("/contacts")).status, 200, "the agent token still works");
    });

    it("creates additional accounts with their own users and tokens", async () => {
      const created = await bed.root.post("/__emulator/accounts", { name: "Second" });
      assert.equal(created.status, 200);
      assert.notEqual(created.body.accountId, bed.emulator.accountId);
      const own = await bed.root.get(`/api/v1/accounts/${created.body.accountId}/inboxes`, {
        token: created.body.adminToken,
      });
      assert.equal(own.body.payload.length, 2);
      const foreign = await bed.root.get(`/api/v1/accounts/${created.body.accountId}/inboxes`);
      assert.equal(foreign.status, 401);
    });

    it("sets, extends, reads and clears faults over HTTP, refusing invalid configurations", async () => {
      const set = await bed.root.put("/__emulator/faults", {
        rules: [{ method: "GET", path: "/inboxes", fault: "503", times: 1 }],
      });
      assert.equal(set.status, 200);
      assert.equal(set.body.rules.length, 1);
      assert.equal((await bed.admin.get("/inboxes")).status, 503);
      assert.equal((await bed.admin.get("/inboxes")).status, 200, "the rule fired once");
      const added = await bed.root.post("/__emulator/faults/rules", { fault: "500", path: "/labels" });
      assert.equal(added.body.rules.length, 2);
      assert.equal((await bed.admin.get("/labels")).status, 500);
      assert.equal((await bed.root.get("/__emulator/faults")).body.fired, 2);
      const invalid = await bed.root.put("/__emulator/faults", { probability: 2 });
      assert.equal(invalid.status, 400);
      assert.equal((await bed.root.delete("/__emulator/faults")).status, 200);
      assert.equal((await bed.admin.get("/labels")).status, 200);
    });

    it("never faults its own endpoints", async () => {
      bed.emulator.setFaults({ probability: 1, mix: { "500": 1 } });
      assert.equal((await bed.root.get("/__emulator/summary")).status, 200);
      assert.equal((await bed.admin.get("/contacts")).status, 500);
    });
  });

  describe("fault kinds", () => {
    it("answers rack-attack's 429: text/plain, 'Retry later\\n', no Retry-After", async () => {
      bed.emulator.addFaultRule({ fault: "429", times: 1 });
      const response = await bed.admin.get("/contacts");
      assert.equal(response.status, 429);
      assert.equal(response.text, "Retry later\n");
      assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
      assert.equal(response.headers.get("retry-after"), null);
    });

    it("drops the connection without applying the request", async () => {
      bed.emulator.addFaultRule({ method: "POST", path: "/contacts", fault: "drop", times: 1 });
      const result = await rawPost(`${bed.admin.baseUrl}/contacts`, bed.emulator.adminToken, {
        name: "never",
      });
      assert.equal(result, "dropped");
      assert.equal(bed.emulator.summary()[0]?.contacts, 0);
    });

    it("commits then drops: the write is applied but the answer is lost", async () => {
      bed.emulator.addFaultRule({ method: "POST", path: "/contacts", fault: "commit_then_drop", times: 1 });
      const result = await rawPost(`${bed.admin.baseUrl}/contacts`, bed.emulator.adminToken, {
        email: "kept@example.com",
      });
      assert.equal(result, "dropped");
      assert.equal(bed.emulator.summary()[0]?.contacts, 1);
      const retry = await bed.admin.post("/contacts", { email: "kept@example.com" });
      assert.equal(retry.status, 422, "a blind retry now collides with the committed write");
    });

    it("commits late: the client gets no answer, and the write lands when the applyAfter-th later request arrives", async () => {
      bed.emulator.addFaultRule({
        method: "POST",
        path: "/contacts",
        fault: "commit_late",
        applyAfter: 2,
        times: 1,
      });
      const result = await rawPost(`${bed.admin.baseUrl}/contacts`, bed.emulator.adminToken, {
        email: "late@example.com",
      });
      assert.equal(result, "dropped");
      assert.equal(bed.emulator.summary()[0]?.contacts, 0, "held: nothing applied yet");
      const first = await bed.admin.get("/contacts");
      assert.equal(first.body.meta.count, 0, "a lookup right after the lost answer can miss it");
      const second = await bed.admin.get("/contacts");
      assert.deepEqual(
        second.body.payload.map((contact: { email: string }) => contact.email),
        ["late@example.com"],
        "applied just before the second later request",
      );
    });

    it("commits then answers 500", async () => {
      bed.emulator.addFaultRule({
        method: "POST",
        path: "/api/v1/accounts/*/contacts",
        fault: "commit_then_500",
        times: 1,
      });
      const response = await bed.admin.post("/contacts", { name: "applied" });
      assert.equal(response.status, 500);
      assert.equal(bed.emulator.summary()[0]?.contacts, 1);
    });

    it("adds latency before answering normally", async () => {
      bed.emulator.addFaultRule({ path: "/inboxes", fault: "latency", latencyMs: 120, times: 1 });
      const started = Date.now();
      const response = await bed.admin.get("/inboxes");
      assert.equal(response.status, 200);
      assert.ok(Date.now() - started >= 100, "delayed");
    });

    it("answers 502 and 503 like a proxy would", async () => {
      bed.emulator.addFaultRule({ fault: "502", times: 1 });
      const response = await bed.admin.get("/inboxes");
      assert.equal(response.status, 502);
      assert.match(response.text, /502 Bad Gateway/);
    });
  });

  describe("random faults", () => {
    it("are reproducible with a seed", () => {
      const sequence = (): (string | null)[] => {
        const injector = new FaultInjector({
          probability: 0.5,
          seed: 42,
          mix: { "500": 1, "503": 1, drop: 1 },
        });
        return Array.from({ length: 50 }, () => injector.decide("GET", "/x")?.kind ?? null);
      };
      const first = sequence();
      assert.deepEqual(sequence(), first);
      assert.ok(
        first.includes(null) && first.some((kind) => kind !== null),
        "a mix of faults and normal answers",
      );
    });

    it("match paths by suffix, glob or RegExp", () => {
      assert.ok(pathMatches("/contacts", "/api/v1/accounts/1/contacts"));
      assert.ok(!pathMatches("/contacts", "/api/v1/accounts/1/contacts/2"));
      assert.ok(pathMatches("/api/v1/accounts/*/contacts/*", "/api/v1/accounts/1/contacts/2"));
      assert.ok(pathMatches("/api/**", "/api/v1/profile"));
      assert.ok(pathMatches(/messages$/, "/api/v1/accounts/1/conversations/3/messages"));
    });
  });

  describe("rate limit", () => {
    it("counts per key in fixed one-minute windows, refused requests included", () => {
      const limiter = new FixedWindowLimiter(2);
      const minute = 60_000 * 1000;
      assert.deepEqual(
        [
          limiter.hit("a", minute),
          limiter.hit("a", minute + 1),
          limiter.hit("a", minute + 2),
          limiter.hit("b", minute + 3),
        ],
        [false, false, true, false],
      );
      assert.equal(limiter.hit("a", minute + 60_000), false, "a new window starts afresh");
      assert.equal(new FixedWindowLimiter(0).hit("a"), false, "0 disables the limit");
    });

    let limited: RunningEmulator;
    before(async () => {
      limited = await startEmulator({ rateLimitPerMinute: 3, contactSearchLimitPerMinute: 1 });
    });
    after(async () => {
      await limited.close();
    });

    it("answers rack-attack's 429 once a client exceeds its requests per minute", async () => {
      const url = `${limited.url}/api/v1/accounts/${limited.accountId}/inboxes`;
      // Windows are aligned to the clock minute; even across a boundary a 429 comes within 7 requests.
      let refused: Response | undefined;
      let accepted = 0;
      for (let index = 0; index < 7 && !refused; index += 1) {
        const response = await fetch(url, { headers: { api_access_token: limited.agentToken } });
        if (response.status === 429) refused = response;
        else accepted += 1;
      }
      assert.ok(refused, "a request was refused");
      assert.ok(accepted >= 3, "the first three of a window pass");
      assert.equal(await refused.text(), "Retry later\n");
      assert.equal(refused.headers.get("retry-after"), null);
      const inspection = await fetch(`${limited.url}/__emulator/summary`, {
        headers: { api_access_token: limited.adminToken },
      });
      assert.equal(inspection.status, 200, "inspection endpoints are not rate limited");
    });
  });
});
