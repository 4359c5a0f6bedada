/**
 * Writes test/fixtures/state-<version>.json: the state this version of the provider records for a
 * small stack, as `pulumi stack export --show-secrets` writes it (the engine's deployment document: the
 * Stack resource, the default provider with the stack config, resources referring to it), with the
 * emulator's URL replaced by `{{url}}` and the token by `{{token}}`. Run it (`npx ts-node
 * test/support/captureState.ts`) when releasing a version; keep the older fixtures, since
 * compatibility.test.ts loads each of them and expects no change with the current provider.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Program } from "../../harness/engine";
import { ADMIN_TOKEN, ChatwootStack, declare, REPOSITORY_ROOT } from "./stack";
import type { PropertyMap } from "../../harness/wire";

/** The stack whose state is kept per version. */
export const compatibilityProgram =
  (inboxId: number): Program =>
  async (d) => {
    // As the SDK does: the Stack resource first, the parent of everything the program declares.
    const { urn: parent } = await d.register({
      type: "pulumi:pulumi:Stack",
      name: "p-dev",
      custom: false,
      inputs: {},
    });
    const contact = await d.register(
      declare(
        "Contact",
        "alice",
        {
          name: "Alice",
          email: "alice@example.com",
          identifier: "crm-1",
          customAttributes: { plan: "pro" },
          labels: ["vip"],
        },
        { parent },
      ),
    );
    const session = await d.register(
      declare("ContactInbox", "alice-api", { contactId: contact.outputs.contactId!, inboxId }, { parent }),
    );
    await d.register(
      declare(
        "Conversation",
        "refund",
        {
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
        },
        { parent },
      ),
    );
  };

async function main(): Promise<void> {
  const stack = await ChatwootStack.start();
  try {
    const result = await stack.engine.up(compatibilityProgram(stack.emulator.inboxId));
    if (result.errors.length > 0) throw new Error(JSON.stringify(result.errors));
    const version = JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, "package.json"), "utf8")).version;
    const state = JSON.stringify(stack.engine.exportState({ showSecrets: true }), null, 2)
      .split(stack.emulator.url)
      .join("{{url}}")
      .split(ADMIN_TOKEN)
      .join("{{token}}");
    fs.writeFileSync(path.join(REPOSITORY_ROOT, "test", "fixtures", `state-${version}.json`), `${state}\n`);
  } finally {
    await stack.close();
  }
}

if (require.main === module) void main();
