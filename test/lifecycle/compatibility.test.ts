import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { DeploymentDocument } from "../../harness/checkpoint";
import type { ResourceState } from "../../harness/state";
import { compatibilityProgram } from "../support/captureState";
import { ADMIN_TOKEN, ChatwootStack, REPOSITORY_ROOT } from "../support/stack";

const FIXTURES = path.join(REPOSITORY_ROOT, "test", "fixtures");

/**
 * Checklist item 15: a state written by an earlier version of the provider gives no change (and
 * no replacement) with this one. Each fixture is the state a released version recorded for
 * compatibilityProgram, as `pulumi stack export --show-secrets` writes it; the test imports it
 * (`pulumi stack import`), rebuilds in the emulator the Chatwoot objects it describes, the
 * way that version made them, then runs the program with the current provider.
 */
describe("state written by earlier versions of the provider", function () {
  this.timeout(60_000);
  let stack: ChatwootStack;

  before(async () => {
    stack = await ChatwootStack.start();
  });
  after(async () => stack?.close());

  const fixtures = fs.readdirSync(FIXTURES).filter((file) => /^state-.*\.json$/.test(file));

  it("has at least one recorded version", () => assert.ok(fixtures.length > 0));

  for (const fixture of fixtures) {
    it(`${fixture}: a second up changes nothing, nor does a refresh`, async () => {
      stack.reset();
      const document = JSON.parse(
        fs
          .readFileSync(path.join(FIXTURES, fixture), "utf8")
          .split("{{url}}")
          .join(stack.emulator.url)
          .split("{{token}}")
          .join(ADMIN_TOKEN),
      ) as DeploymentDocument;
      stack.engine.importState(document);
      const state = stack.engine.state;
      assert.ok(stack.engine.defaultProvider, "the fixture records the default provider");
      await rebuildInChatwoot(stack, state);
      // The refresh reads with the provider config stored in the document.
      const refresh = await stack.engine.refresh();
      assert.deepEqual(refresh.errors, []);
      const result = await stack.engine.up(compatibilityProgram(stack.emulator.inboxId));
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.summary, { same: state.length });
      assert.ok(
        refresh.steps.every((step) => step.refreshResult === "same"),
        JSON.stringify(refresh.steps),
      );
    });
  }
});

/** Makes the objects a recorded state describes, with the ids, keys and markers it recorded. */
async function rebuildInChatwoot(stack: ChatwootStack, state: ResourceState[]): Promise<void> {
  const outputs = (kind: string) =>
    state.find((resource) => resource.type.endsWith(`:${kind}`))!.outputs as Record<string, never>;
  const contact = outputs("Contact");
  const created = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
    name: contact.name,
    email: contact.email,
    identifier: contact.identifier,
    custom_attributes: contact.customAttributes,
  });
  assert.equal(created.payload.contact.id, contact.contactId);
  await stack.api("POST", `contacts/${contact.contactId}/labels`, { labels: contact.labels });
  const session = outputs("ContactInbox");
  await stack.api("POST", `contacts/${contact.contactId}/contact_inboxes`, {
    inbox_id: session.inboxId,
    source_id: session.sourceId,
  });
  const conversation = outputs("Conversation");
  const made = await stack.api<{ id: number }>("POST", "conversations", {
    inbox_id: conversation.inboxId,
    contact_id: conversation.contactId,
    source_id: conversation.sourceId,
    additional_attributes: { pulumi_seed_id: conversation.seedId },
  });
  assert.equal(made.id, conversation.conversationId);
  const messages = conversation.messages as unknown as Array<{
    content: string;
    messageType: string;
    private?: boolean;
  }>;
  for (const [index, message] of messages.entries()) {
    await stack.api("POST", `conversations/${made.id}/messages`, {
      content: message.content,
      message_type: message.messageType,
      private: message.private ?? false,
      source_id: `pulumi-seed:${conversation.seedId}:${index}`,
    });
  }
  await stack.api("POST", `conversations/${made.id}/toggle_status`, { status: conversation.status });
  await stack.api("POST", `conversations/${made.id}/toggle_priority`, { priority: conversation.priority });
  await stack.api("POST", `conversations/${made.id}/labels`, { labels: conversation.labels });
}
