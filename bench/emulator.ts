/**
 * Emulator benchmark (not a test): requests per second of a mixed create/read workload at
 * concurrency 16 over real HTTP, and the heap taken by 100,000 contacts.
 *
 *   npm run bench:emulator                 (builds, then runs this file)
 *   BENCH_SECONDS=20 npm run bench:emulator
 *
 * The emulator runs in a child process (the built CLI) so the load generator does not share its
 * event loop; the memory figure is measured in this process with `--expose-gc`.
 */
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { createContact } from "../emulator/domain/contacts";
import { seedAccount } from "../emulator/store/seed";
import { Store } from "../emulator/store/store";

const CONCURRENCY = 16;
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? "10") * 1000;
const CONTACTS_FOR_MEMORY = 100_000;

interface Ready {
  url: string;
  accountId: number;
  adminToken: string;
  inboxId: number;
}

function startEmulatorProcess(): Promise<{ ready: Ready; stop: () => void }> {
  const cli = join(__dirname, "..", "dist", "emulator", "cli.js");
  const child = spawn(process.execPath, [cli, "--port", "0", "--quiet"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf("\n");
      if (newline !== -1)
        resolve({
          ready: JSON.parse(buffered.slice(0, newline)) as Ready,
          stop: () => child.kill("SIGTERM"),
        });
    });
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function call(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: {
          api_access_token: token,
          ...(payload !== undefined
            ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/**
 * One iteration = 3 creates and 4 reads, the provider's typical pattern: create a contact with a
 * session, open a conversation, post a message, then read the contact, the conversation, its
 * messages and a contact list page.
 */
async function worker(
  ready: Ready,
  workerId: number,
  deadline: number,
  counts: { requests: number; errors: number },
): Promise<void> {
  const base = `${ready.url}/api/v1/accounts/${ready.accountId}`;
  const token = ready.adminToken;
  let iteration = 0;
  const track = (response: { status: number }): void => {
    counts.requests += 1;
    if (response.status !== 200) counts.errors += 1;
  };
  while (Date.now() < deadline) {
    iteration += 1;
    const sourceId = `bench-${workerId}-${iteration}`;
    const contact = await call(base, token, "POST", "/contacts", {
      name: `Bench ${workerId}/${iteration}`,
      email: `${sourceId}@example.com`,
      inbox_id: ready.inboxId,
      source_id: sourceId,
    });
    track(contact);
    const contactId = (contact.json as { payload: { contact: { id: number } } }).payload.contact.id;
    const conversation = await call(base, token, "POST", "/conversations", { source_id: sourceId });
    track(conversation);
    const conversationId = (conversation.json as { id: number }).id;
    track(await call(base, token, "POST", `/conversations/${conversationId}/messages`, { content: "hello" }));
    track(await call(base, token, "GET", `/contacts/${contactId}`));
    track(await call(base, token, "GET", `/conversations/${conversationId}`));
    track(await call(base, token, "GET", `/conversations/${conversationId}/messages`));
    track(await call(base, token, "GET", `/inboxes/${ready.inboxId}`));
  }
}

async function measureThroughput(): Promise<void> {
  const { ready, stop } = await startEmulatorProcess();
  try {
    const counts = { requests: 0, errors: 0 };
    // Warm-up so the JIT has seen every route before the clock starts.
    await worker(ready, 99, Date.now() + 1000, { requests: 0, errors: 0 });
    const started = Date.now();
    const deadline = started + DURATION_MS;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, index) => worker(ready, index, deadline, counts)),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `mixed create/read workload, concurrency ${CONCURRENCY}, ${seconds.toFixed(1)} s over HTTP keep-alive`,
    );
    console.log(`  requests: ${counts.requests} (${counts.errors} non-200)`);
    console.log(`  throughput: ${Math.round(counts.requests / seconds)} requests/s`);
  } finally {
    stop();
    agent.destroy();
  }
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

function measureMemory(): void {
  const store = new Store();
  const seeded = seedAccount(store);
  const account = store.accounts.get(seeded.accountId);
  if (!account) throw new Error("seeded account missing");
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  for (let index = 0; index < CONTACTS_FOR_MEMORY; index += 1) {
    createContact(store, account, {
      name: `Contact ${index}`,
      email: `contact${index}@example.com`,
      phoneNumber: `+1415${String(index).padStart(7, "0")}`,
      identifier: `crm-${index}`,
      customAttributes: { plan: "gold" },
    });
  }
  collectGarbage();
  const used = process.memoryUsage().heapUsed - before;
  const exact = (globalThis as { gc?: unknown }).gc ? "" : " (run with --expose-gc for an exact figure)";
  console.log(
    `memory for ${CONTACTS_FOR_MEMORY.toLocaleString("en")} contacts (name, email, phone, identifier, custom attribute)${exact}`,
  );
  console.log(
    `  heap: ${(used / 1024 / 1024).toFixed(1)} MiB (${Math.round(used / CONTACTS_FOR_MEMORY)} bytes per contact)`,
  );
  if (account.contacts.size !== CONTACTS_FOR_MEMORY) throw new Error("contacts missing");
}

async function main(): Promise<void> {
  await measureThroughput();
  measureMemory();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
