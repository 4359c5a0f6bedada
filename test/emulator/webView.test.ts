import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  HOSTILE_CONTENT,
  HOSTILE_NAME,
  JANE,
  seedWebViewData,
  TRANSCRIPT,
  type SeededView,
} from "./webViewSeed";

/**
 * The web view as a person sees it: Debian's Chromium renders the pages and the assertions read the
 * visible text (`innerText`) and layout, not the markup. `.ci/run` installs Chromium; where it is
 * missing the whole file is skipped with a warning, never passed.
 */

const CHROMIUM = "/usr/bin/chromium";
/** Without the background-networking switches Chromium's own connections are refused in CI sandboxes. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The few browser globals the page callbacks use. The project compiles without the DOM library (it
 * is Node code); these declarations stay local to this module.
 */
declare const document: { querySelectorAll(selector: string): { length: number }; title: string };
declare const window: { __pwned?: boolean };
declare function getComputedStyle(element: unknown): { backgroundColor: string };

interface RenderedMessage {
  className: string;
  text: string;
  background: string;
  left: number;
  right: number;
}

describe("emulator: web view in headless Chromium", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator | undefined;
  let seeded: SeededView;
  let profile: string | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  /** Console errors (a CSP violation shows up there), page errors and requests leaving the emulator. */
  const problems: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.warn(
        `      SKIPPED: ${CHROMIUM} is missing (apt-get install chromium); the web view was NOT checked in a browser`,
      );
      this.skip();
    }
    emulator = await startEmulator();
    seeded = await seedWebViewData(emulator);
    profile = mkdtempSync(join(tmpdir(), "web-view-chromium-"));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    const origin = emulator.url;
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("request", (request) => {
      if (!request.url().startsWith(`${origin}/`)) problems.push(`request to ${request.url()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await emulator?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens a page of the emulator and checks it loaded cleanly. */
  async function visit(path: string): Promise<void> {
    const response = await page.goto(`${emulator?.url}${path}`);
    assert.equal(response?.status(), 200, path);
    assert.deepEqual(problems.splice(0), [], `${path} loaded without errors or outside requests`);
  }

  function visibleText(selector: string): Promise<string> {
    return page.locator(selector).first().innerText();
  }

  async function cellTexts(rowSelector: string): Promise<string[]> {
    const texts = await page.locator(rowSelector).first().locator("td").allInnerTexts();
    return texts.map((text) => text.replace(/\s+/g, " ").trim());
  }

  it("lists the accounts with their counts at /", async () => {
    await visit("/");
    assert.equal(await visibleText("h1"), "Accounts");
    // Account, id, contacts, conversations, by status, messages (4 + 5 activity + 1), inboxes,
    // callbacks delivered (none: the seeded inboxes have no webhook URL).
    assert.deepEqual(await cellTexts("tr.account"), [
      "Emulated Account",
      "1",
      "2",
      "2",
      "open 1 resolved 1",
      "10",
      "2",
      "0",
    ]);
  });

  it("shows each contact's details, labels and conversations, and links through to a conversation", async () => {
    await visit("/");
    await page.getByRole("link", { name: "Emulated Account" }).click();
    assert.equal(new URL(page.url()).pathname, "/accounts/1");
    assert.deepEqual(problems.splice(0), []);
    assert.deepEqual(await cellTexts(`#contact-${seeded.janeId}`), [
      `${JANE.name} id ${seeded.janeId} · plan: pro`,
      JANE.email,
      JANE.phone,
      JANE.identifier,
      JANE.labels.join(" "),
      `#${seeded.janeConversation} resolved`,
    ]);
    const eve = await cellTexts(`#contact-${seeded.eveId}`);
    assert.equal(eve[0], `${HOSTILE_NAME} id ${seeded.eveId}`);
    assert.deepEqual(eve.slice(1), ["—", "—", "—", "—", `#${seeded.eveConversation} open`]);

    await page.locator(`#contact-${seeded.janeId} a.chip`).click();
    assert.equal(new URL(page.url()).pathname, `/accounts/1/conversations/${seeded.janeConversation}`);
    assert.equal(await visibleText("h1"), `Conversation #${seeded.janeConversation}`);
  });

  it("shows the transcript in order, incoming, outgoing, private notes and activity drawn apart", async () => {
    await visit(`/accounts/1/conversations/${seeded.janeConversation}`);
    const messages: RenderedMessage[] = await page.$$eval(".transcript .msg", (items) =>
      items.map((item) => {
        const box = item.getBoundingClientRect();
        return {
          className: item.className,
          text: (item as unknown as { innerText: string }).innerText,
          background: getComputedStyle(item).backgroundColor,
          left: box.left,
          right: box.right,
        };
      }),
    );
    const conversational = messages.filter((message) => !message.className.includes("msg-activity"));
    assert.deepEqual(
      conversational.map((message) => {
        const [meta, ...body] = message.text.split("\n");
        return { kind: meta?.split(" · ")[0], content: body.join("\n") };
      }),
      TRANSCRIPT,
    );
    assert.match(conversational[2]?.text ?? "", /^Private note · Agent · \d\d:\d\d:\d\d\n/);

    const activity = messages
      .slice(TRANSCRIPT.length)
      .map((message) => message.text.replace(/ · [\d:]+$/, ""));
    assert.deepEqual(activity, [
      "Assigned to Agent by Admin",
      "Assigned to support by Admin",
      "Agent added billing, vip",
      "Agent set the priority to urgent",
      "Conversation was marked resolved by Agent",
    ]);

    // What makes the kinds tell apart at a glance: three different bubble colours, the contact's
    // messages on the left and the agent's (replies and notes) on the right.
    const [incoming, outgoing, note] = conversational;
    assert.ok(incoming && outgoing && note);
    assert.equal(new Set([incoming.background, outgoing.background, note.background]).size, 3);
    assert.ok(
      incoming.left < outgoing.left && incoming.right < outgoing.right,
      "incoming left, outgoing right",
    );
    assert.ok(Math.abs(outgoing.right - note.right) < 1, "the note sits with the agent's replies");

    assert.equal(await visibleText(".conversation-details .status"), "resolved");
    assert.equal(await visibleText(".conversation-details .priority"), "urgent");
    assert.equal(await visibleText(".conversation-details .assignee"), "Agent");
    assert.equal(await visibleText(".conversation-details .team"), "support");
    assert.deepEqual(
      await page.locator(".conversation-details .conversation-labels .label").allInnerTexts(),
      ["billing", "vip"],
    );
    assert.equal(
      (await visibleText(".conversation-details .custom-attributes")).replace(/\s+/g, " "),
      "order_id 1234",
    );
  });

  it("shows a script in a message and markup in a name as text, and runs nothing", async () => {
    await visit(`/accounts/1/conversations/${seeded.eveConversation}`);
    assert.equal(await visibleText(".transcript .msg .body"), HOSTILE_CONTENT);
    assert.equal(await visibleText(".conversation-details .contact"), HOSTILE_NAME);
    const state = await page.evaluate(() => ({
      scripts: document.querySelectorAll("script").length,
      bold: document.querySelectorAll("main b").length,
      title: document.title,
      pwned: window.__pwned === true,
    }));
    assert.deepEqual(state, {
      scripts: 0,
      bold: 0,
      title: `Conversation #${seeded.eveConversation} · Chatwoot emulator`,
      pwned: false,
    });
  });

  it("opens the conversation URL the provider outputs (/app/accounts/:id/conversations/:displayId)", async () => {
    const providerUrl = `${emulator?.url}/app/accounts/${emulator?.accountId}/conversations/${seeded.janeConversation}`;
    const response = await page.goto(providerUrl);
    assert.equal(response?.status(), 200);
    assert.deepEqual(problems.splice(0), []);
    assert.equal(await visibleText("h1"), `Conversation #${seeded.janeConversation}`);
    const first = await visibleText(".transcript .msg");
    assert.ok(first.endsWith(`\n${TRANSCRIPT[0]?.content}`), first);
    assert.equal(await visibleText(".conversation-details .status"), "resolved");
  });
});
