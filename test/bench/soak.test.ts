import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { AccountContents } from "../../bench/soak/contents";
import { problemsWith } from "../../bench/soak/verdict";
import { pairSpec } from "../../bench/seed/workload";

const REPOSITORY_ROOT = join(__dirname, "..", "..");

/** The account exactly as `pairs` declared pairs make it, contact ids from 1 and conversation ids from 101. */
function declaredAccount(pairs: number): {
  contacts: Array<AccountContents["contacts"][number]>;
  conversations: Array<AccountContents["conversations"][number]>;
} {
  const specs = Array.from({ length: pairs }, (_, index) => pairSpec(index));
  return {
    contacts: specs.map(({ contact }, index) => ({
      id: index + 1,
      name: contact.name,
      email: contact.email,
      customAttributes: { ...contact.customAttributes },
      labels: [...contact.labels],
      contactInboxes: 1,
    })),
    conversations: specs.map(({ conversation }, index) => ({
      id: index + 101,
      contactId: index + 1,
      status: conversation.status,
      priority: conversation.priority,
      labels: [...conversation.labels],
      messages: conversation.messages.map((message) => ({
        content: message.content,
        messageType: message.messageType === "incoming" ? 0 : 1,
        private: message.private ?? false,
      })),
    })),
  };
}

describe("soak: the account checked against the declaration", () => {
  it("finds nothing wrong with exactly what was declared", () => {
    assert.deepEqual(problemsWith(declaredAccount(3), 3), []);
  });

  it("reports a duplicated contact, a duplicated conversation and an undeclared one", () => {
    const account = declaredAccount(3);
    account.contacts.push({ ...account.contacts[1]!, id: 50 });
    account.conversations.push({ ...account.conversations[2]!, id: 150 });
    account.contacts.push({ ...account.contacts[0]!, id: 60, email: "someone-else@example.com" });
    const problems = problemsWith(account, 3);
    assert.ok(
      problems.some((problem) => /^1 duplicated contacts: bench-00001@example.com: 2, 50$/.test(problem)),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((problem) =>
        /^1 duplicated conversations: bench-00002@example.com: 103, 150$/.test(problem),
      ),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((problem) => /^1 undeclared contacts: contact 60/.test(problem)),
      problems.join("\n"),
    );
  });

  it("reports a lost contact, a lost or repeated message and a field not as declared", () => {
    const account = declaredAccount(4);
    account.contacts.splice(3, 1);
    account.conversations.splice(3, 1);
    const first = account.conversations[0]!;
    account.conversations[0] = { ...first, messages: [first.messages[0]!, ...first.messages] };
    account.conversations[1] = {
      ...account.conversations[1]!,
      messages: account.conversations[1]!.messages.slice(1),
    };
    account.conversations[2] = { ...account.conversations[2]!, status: "open" };
    account.contacts[1] = { ...account.contacts[1]!, labels: [] };
    const problems = problemsWith(account, 4);
    const expected = [
      /^1 missing contacts: bench-00003@example.com$/,
      /^2 conversations whose messages are not the declared ones, once each and in order: 101: .*; 102: /,
      /^1 conversations with another status or priority: 103: open, high$/,
      /^1 contacts with other labels: bench-00001@example.com: \[\]$/,
    ];
    for (const pattern of expected)
      assert.ok(
        problems.some((problem) => pattern.test(problem)),
        `${pattern} in:\n${problems.join("\n")}`,
      );
    assert.equal(problems.length, expected.length, problems.join("\n"));
  });
});

/**
 * `npm run soak` at the demo data set's scale (24 pairs), as CI runs it: a fifth of requests
 * faulted, then the account read back through the API.
 */
describe("soak (small size)", function () {
  this.timeout(240_000);

  it("seeds 24 pairs through every kind of fault with nothing lost or duplicated, and a second up changes nothing", async () => {
    const run = promisify(execFile)(
      process.execPath,
      ["-r", "ts-node/register", "bench/soak.ts", "--sizes", "24"],
      {
        cwd: REPOSITORY_ROOT,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const { stdout } = await run.catch((error: { stdout?: string; code?: number }) => {
      assert.fail(`the soak exited with ${error.code}:\n${error.stdout ?? ""}`);
    });
    assert.match(stdout, /^- After up, through the API: exactly what was declared$/m);
    assert.match(stdout, /^- Second up without faults: 0 change\(s\), 0 request\(s\), 0 error\(s\)$/m);
    assert.match(stdout, /^- Left after destroy: 0 contact\(s\), 0 conversation\(s\)$/m);
    assert.match(stdout, /^- Verdict: passed$/m);
    // The soak was real: faults of every kind fired, commits the client never heard of among them.
    // The fault generator is seeded, so which faults fall on the first N requests is fixed; only N
    // depends on how concurrent requests meet them. Without faults the up sends 18 requests a pair
    // (the bench's count), 432 for 24 pairs; a fault only adds requests, and this seed puts 88 faults
    // in the first 432, each kind at least 5 times, however the requests interleave.
    const faults =
      /^- Requests: \d+ \(the read-backs' included\), (\d+) of them faulted \(rate 0\.2\): (.*)$/m.exec(
        stdout,
      );
    assert.ok(faults, stdout);
    assert.ok(Number(faults[1]) > 50, faults[0]);
    for (const kind of ["429", "500", "drop", "commit_then_500", "commit_then_drop", "commit_late"])
      assert.match(faults[2]!, new RegExp(`\\b${kind} \\d+`), `${kind} fired`);
  });
});
