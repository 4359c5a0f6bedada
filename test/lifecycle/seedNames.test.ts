import { strict as assert } from "node:assert";
import { assertProgramSucceeded, describeRun, runProgram } from "../../harness/program";
import { writeLinkedProject } from "../support/programs";
import { ChatwootStack } from "../support/stack";

/**
 * A data set with no id in it: an API inbox, a label and attribute definitions it declares, a contact
 * whose session and conversation name that inbox and carry that label and attributes, and an agent
 * and a team named as in Chatwoot (looked up by the program).
 */
const PROGRAM = `import * as chatwoot from "pulumi-chatwoot";

const seed = new chatwoot.Seed("names", {
  data: {
    apiInboxes: [{ name: "Lumen API", agents: ["agent@example.com"] }],
    labels: [{ title: "VIP", color: "#ff0000" }],
    customAttributeDefinitions: [
      { attributeModel: "contact", attributeKey: "plan", displayName: "Plan", displayType: "list", listValues: ["basic", "premium"] },
      { attributeModel: "conversation", attributeKey: "order_id", displayName: "Order" },
    ],
    contacts: [
      {
        key: "amara",
        name: "Amara",
        labels: ["vip"],
        // order_id is defined for conversations only: the contact does not wait for that definition.
        customAttributes: { plan: "premium", order_id: "none" },
        identifier: "cust-1",
        inboxes: [{ inbox: "Lumen API", sourceId: "amara-session" }],
        conversations: [
          {
            key: "hello",
            inbox: "Lumen API",
            assignee: "Agent@Example.com",
            team: "Support",
            labels: ["VIP"],
            customAttributes: { order_id: "A-1" },
            messages: [{ messageType: "incoming", content: "Hi" }],
          },
        ],
      },
    ],
  },
});
export const inboxId = seed.apiInboxes["lumen-api"]!.inboxId;
`;

interface ConversationJson {
  inbox_id: number;
  meta: { assignee?: { id: number }; team?: { id: number } };
}

describe("Seed in a program: names instead of ids, declared API inbox, label and attributes", function () {
  this.timeout(180_000);
  let stack: ChatwootStack;
  let project: { dir: string; remove(): void };

  before(async () => {
    stack = await ChatwootStack.start();
    project = writeLinkedProject("seed-names", PROGRAM);
  });
  after(async () => {
    await stack?.close();
    project?.remove();
  });

  it("creates what the data declares before what uses it in one up, and a second up changes nothing", async () => {
    const up = () =>
      runProgram({
        engine: stack.engine,
        programDir: project.dir,
        env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
      });
    const first = await up();
    assertProgramSucceeded(first);
    const inboxId = Number(first.stackOutputs.inboxId);
    assert.ok(![stack.emulator.inboxId, stack.emulator.otherInboxId].includes(inboxId), "a new inbox");
    const created = first.steps
      .filter((step) => step.op === "create")
      .map((step) => step.urn.split("::").pop());
    // The engine registers what depends on the inbox only once the inbox exists.
    const order = (name: string) => created.indexOf(name);
    assert.ok(order("names-inbox-lumen-api") >= 0, describeRun(first));
    assert.ok(order("names-inbox-lumen-api") < order("names-session-amara-lumen-api-amara-session"));
    assert.ok(order("names-inbox-lumen-api") < order("names-conversation-amara-hello"));

    // In the state too, so that a destroy deletes them last.
    const urnOf = (name: string) => stack.engine.state.find((r) => r.urn.endsWith(`::${name}`))!;
    const label = urnOf("names-label-vip").urn;
    assert.ok(urnOf("names-contact-amara").dependencies?.includes(label));
    assert.ok(urnOf("names-conversation-amara-hello").dependencies?.includes(label));
    assert.ok(
      urnOf("names-session-amara-lumen-api-amara-session").dependencies?.includes(
        urnOf("names-inbox-lumen-api").urn,
      ),
    );
    const plan = urnOf("names-attribute-contact-plan").urn;
    const orderId = urnOf("names-attribute-conversation-order-id").urn;
    assert.ok(urnOf("names-contact-amara").dependencies?.includes(plan));
    assert.ok(!urnOf("names-contact-amara").dependencies?.includes(orderId));
    assert.ok(urnOf("names-conversation-amara-hello").dependencies?.includes(orderId));
    const definitions = await stack.api<Array<{ attribute_key: string; attribute_display_type: string }>>(
      "GET",
      "custom_attribute_definitions",
    );
    assert.deepEqual(definitions.map((definition) => definition.attribute_key).sort(), ["order_id", "plan"]);
    const labels = await stack.api<{ payload: Array<{ title: string; color: string }> }>("GET", "labels");
    assert.deepEqual(
      labels.payload.map(({ title, color }) => ({ title, color })),
      [{ title: "vip", color: "#ff0000" }],
    );

    const members = await stack.api<{ payload: Array<{ id: number }> }>("GET", `inbox_members/${inboxId}`);
    assert.deepEqual(
      members.payload.map((member) => member.id),
      [stack.emulator.agentId],
    );
    const conversations = await stack.api<{ data: { payload: ConversationJson[] } }>(
      "GET",
      `conversations?inbox_id=${inboxId}&status=all`,
    );
    assert.equal(conversations.data.payload.length, 1);
    const [conversation] = conversations.data.payload;
    assert.equal(conversation!.meta.assignee?.id, stack.emulator.agentId);
    assert.equal(conversation!.meta.team?.id, stack.emulator.teamId);

    const second = await up();
    assertProgramSucceeded(second);
    assert.deepEqual(
      second.steps.filter((step) => step.op !== "same").map((step) => `${step.op} ${step.urn}`),
      [],
      "the second up must change nothing",
    );
  });
});
