/**
 * Writes test/fixtures/state-<version>.json: the state this version of the provider records for a
 * small stack, with the emulator's URL replaced by `{{url}}`. Run it (`npx ts-node
 * test/support/captureState.ts`) when releasing a version; keep the older fixtures, since
 * compatibility.test.ts loads each of them and expects no change with the current provider.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Program } from "../../harness/engine";
import { ChatwootStack, declare, REPOSITORY_ROOT } from "./stack";
import type { PropertyMap } from "../../harness/wire";

/** The stack whose state is kept per version. */
export const compatibilityProgram =
  (inboxId: number): Program =>
  async (d) => {
    const contact = await d.register(
      declare("Contact", "alice", {
        name: "Alice",
        email: "alice@example.com",
        identifier: "crm-1",
        customAttributes: { plan: "pro" },
        labels: ["vip"],
      }),
    );
    const session = await d.register(
      declare("ContactInbox", "alice-api", { contactId: contact.outputs.contactId!, inboxId }),
    );
    await d.register(
      declare("Conversation", "refund", {
        inboxId,
        contactId: contact.outputs.contactId!,
        sourceId: session.outputs.sourceId!,
        status: "resolved",
        priority: "high",
        labels: ["billing"],
        messages: [
          { content: "Hi", messageType: "incoming" },
          { content: "Hello", messageType: "outgoing" },
          { content: "note", messageType: "outgoing", private: true },
        ] as PropertyMap[],
      }),
    );
  };

async function main(): Promise<void> {
  const stack = await ChatwootStack.start();
  try {
    const result = await stack.engine.up(compatibilityProgram(stack.emulator.inboxId));
    if (result.errors.length > 0) throw new Error(JSON.stringify(result.errors));
    const version = JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, "package.json"), "utf8")).version;
    const state = JSON.stringify(stack.engine.state, null, 2).split(stack.emulator.url).join("{{url}}");
    fs.writeFileSync(path.join(REPOSITORY_ROOT, "test", "fixtures", `state-${version}.json`), `${state}\n`);
  } finally {
    await stack.close();
  }
}

if (require.main === module) void main();
