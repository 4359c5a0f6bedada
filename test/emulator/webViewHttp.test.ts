import assert from "node:assert/strict";
import { startEmulator } from "../../emulator";
import { useEmulator } from "./helpers";
import { HOSTILE_CONTENT, HOSTILE_NAME, seedWebViewData, type SeededView } from "./webViewSeed";

/** The web view over plain HTTP: status codes, headers, escaping, no tokens, paging, isolation from the API. */

const RAILS_404_TITLE = "<title>Page not found</title>";

async function getPage(
  url: string,
  method = "GET",
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, { method });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe("emulator: web view over HTTP", () => {
  const bed = useEmulator();
  let seeded: SeededView;

  beforeEach(async () => {
    seeded = await seedWebViewData(bed.emulator);
  });

  function pagePaths(): string[] {
    const account = bed.emulator.accountId;
    return [
      "/",
      `/accounts/${account}`,
      `/accounts/${account}/contacts/${seeded.janeId}`,
      `/accounts/${account}/contacts/${seeded.eveId}`,
      `/accounts/${account}/conversations`,
      `/accounts/${account}/conversations?status=resolved`,
      `/accounts/${account}/conversations/${seeded.janeConversation}`,
      `/accounts/${account}/conversations/${seeded.eveConversation}`,
      `/app/accounts/${account}/conversations/${seeded.janeConversation}`,
      `/app/accounts/${account}/contacts/${seeded.janeId}`,
      `/accounts/${account}/callbacks`,
    ];
  }

  it("serves every page as HTML without a token, with a policy that forbids scripts and remote loads", async () => {
    for (const path of pagePaths()) {
      const page = await getPage(`${bed.emulator.url}${path}`);
      assert.equal(page.status, 200, path);
      assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8", path);
      assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'none'/, path);
      assert.equal(page.headers.get("cache-control"), "no-store", path);
      assert.match(page.text, /^<!DOCTYPE html>/, path);
      assert.doesNotMatch(page.text, /<script/i, `${path} has no script element`);
    }
    const head = await getPage(`${bed.emulator.url}/`, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.text, "");
  });

  it("never shows a token or secret the API handed out", async () => {
    assert.ok(seeded.secrets.length >= 6, `collected ${seeded.secrets.length} secrets`);
    for (const path of pagePaths()) {
      const page = await getPage(`${bed.emulator.url}${path}`);
      for (const secret of seeded.secrets) assert.ok(!page.text.includes(secret), `${path} shows a secret`);
    }
  });

  it("escapes user data: a script in a message and markup in a name arrive as text", async () => {
    const account = bed.emulator.accountId;
    const conversation = await getPage(
      `${bed.emulator.url}/accounts/${account}/conversations/${seeded.eveConversation}`,
    );
    assert.ok(!conversation.text.includes(HOSTILE_CONTENT));
    assert.ok(conversation.text.includes("&lt;script&gt;document.title = &#39;pwned&#39;;"));
    const contacts = await getPage(`${bed.emulator.url}/accounts/${account}`);
    assert.ok(!contacts.text.includes(HOSTILE_NAME));
    assert.ok(contacts.text.includes("Eve &lt;b&gt;&quot;Bold&quot;&lt;/b&gt; &amp; Co"));
  });

  it("leaves the API and /__emulator alone: tokens still required, unknown routes keep Chatwoot's 404 page", async () => {
    const base = bed.emulator.url;
    const contacts = await getPage(`${base}/api/v1/accounts/${bed.emulator.accountId}/contacts`);
    assert.equal(contacts.status, 401);
    assert.match(contacts.headers.get("content-type") ?? "", /application\/json/);
    assert.equal((await getPage(`${base}/__emulator/summary`)).status, 401);
    // `GET /api` is Chatwoot's own (the release, app/controllers/api_controller.rb), not the view's.
    const api = await getPage(`${base}/api`);
    assert.equal(api.status, 200);
    assert.match(api.headers.get("content-type") ?? "", /application\/json/);
    for (const path of ["/api/v1/nowhere", "/api/accounts/1", "/app", "/favicon.ico", "/accounts"]) {
      const page = await getPage(`${base}${path}`);
      assert.equal(page.status, 404, path);
      assert.ok(page.text.includes(RAILS_404_TITLE), `${path} answers the Rails 404 page`);
    }
    const post = await fetch(`${base}/`, { method: "POST" });
    assert.equal(post.status, 404, "the view is read-only: POST / is an unknown route");
  });

  it("answers its own 404 page for an unknown account, contact or conversation", async () => {
    const base = bed.emulator.url;
    const account = bed.emulator.accountId;
    for (const path of [
      "/accounts/999",
      "/accounts/abc",
      `/accounts/${account}/contacts/999`,
      `/accounts/${account}/conversations/999`,
      `/app/accounts/${account}/conversations/999`,
    ]) {
      const page = await getPage(`${base}${path}`);
      assert.equal(page.status, 404, path);
      assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8", path);
      assert.ok(page.text.includes("Chatwoot emulator") && !page.text.includes(RAILS_404_TITLE), path);
    }
  });

  it("is never faulted or rate limited, so it shows the data while the API fails", async () => {
    bed.emulator.setFaults({ probability: 1, mix: { "500": 1 } });
    const api = await fetch(`${bed.emulator.url}/api/v1/profile`, {
      headers: { api_access_token: bed.emulator.adminToken },
    });
    assert.equal(api.status, 500);
    const page = await getPage(`${bed.emulator.url}/accounts/${bed.emulator.accountId}`);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes("Jane Doe"));
  });

  it("pages an account of 1,000 contacts 50 at a time", async function () {
    this.timeout(60_000);
    const client = bed.admin;
    const names = Array.from({ length: 998 }, (_, index) => `Bulk ${String(index + 1).padStart(4, "0")}`);
    for (let start = 0; start < names.length; start += 25) {
      const batch = names.slice(start, start + 25).map((name) => client.post("/contacts", { name }));
      for (const response of await Promise.all(batch)) assert.equal(response.status, 200);
    }
    const base = `${bed.emulator.url}/accounts/${bed.emulator.accountId}`;
    const first = await getPage(base);
    assert.equal(first.status, 200);
    assert.equal(first.text.match(/<tr class="contact"/g)?.length, 50);
    assert.ok(first.text.includes("Showing 1–50 of 1,000 contacts"));
    assert.ok(first.text.includes('href="/accounts/1?page=2"'));

    const last = await getPage(`${base}?page=20`);
    assert.ok(last.text.includes("Showing 951–1,000 of 1,000 contacts"));
    assert.ok(last.text.includes("Bulk 0998"));
    assert.ok(!last.text.includes("Jane Doe"));
    const beyond = await getPage(`${base}?page=999`);
    assert.ok(
      beyond.text.includes("Showing 951–1,000 of 1,000 contacts"),
      "a page past the end shows the last",
    );
  });

  it("filters the conversation list by status", async () => {
    const base = `${bed.emulator.url}/accounts/${bed.emulator.accountId}/conversations`;
    const rows = (text: string): string[] =>
      [...text.matchAll(/<tr class="conversation-row">\s*<td><a href="[^"]+">#(\d+)<\/a>/g)].map(
        (match) => match[1] ?? "",
      );
    assert.deepEqual(rows((await getPage(base)).text), [
      `${seeded.janeConversation}`,
      `${seeded.eveConversation}`,
    ]);
    assert.deepEqual(rows((await getPage(`${base}?status=resolved`)).text), [`${seeded.janeConversation}`]);
    assert.deepEqual(rows((await getPage(`${base}?status=open`)).text), [`${seeded.eveConversation}`]);
    assert.deepEqual(rows((await getPage(`${base}?status=snoozed`)).text), []);
  });

  it("shows the last 500 messages of a longer transcript and says so", async function () {
    this.timeout(60_000);
    const roomy = await startEmulator({ messagesPerMinuteLimit: 10_000 });
    try {
      const room = await seedWebViewData(roomy);
      const messages = `${roomy.url}/api/v1/accounts/${roomy.accountId}/conversations/${room.eveConversation}/messages`;
      for (let index = 1; index <= 504; index += 1) {
        const response = await fetch(messages, {
          method: "POST",
          headers: { api_access_token: roomy.agentToken, "content-type": "application/json" },
          body: JSON.stringify({ content: `Reply ${index}`, message_type: "outgoing" }),
        });
        assert.equal(response.status, 200);
      }
      const page = await getPage(
        `${roomy.url}/accounts/${roomy.accountId}/conversations/${room.eveConversation}`,
      );
      assert.ok(page.text.includes("Showing the last 500 of 505 messages"));
      assert.equal(page.text.match(/<li class="msg /g)?.length, 500);
      assert.ok(!page.text.includes("&lt;script&gt;"), "the oldest message is left out");
      assert.ok(page.text.includes(">Reply 5</div>") && !page.text.includes(">Reply 4</div>"));
      assert.ok(page.text.includes(">Reply 504</div>"));
    } finally {
      await roomy.close();
    }
  });

  it("is off with webView: false: / is Chatwoot's 404 page again", async () => {
    const plain = await startEmulator({ webView: false });
    try {
      const page = await getPage(`${plain.url}/`);
      assert.equal(page.status, 404);
      assert.ok(page.text.includes(RAILS_404_TITLE));
      assert.equal((await getPage(`${plain.url}/app/accounts/1/conversations/1`)).status, 404);
    } finally {
      await plain.close();
    }
  });
});
