import { strict as assert } from "node:assert";
import { assertProgramSucceeded, runProgram } from "../../harness/program";
import { writeLinkedProject } from "../support/programs";
import { ChatwootStack } from "../support/stack";

/** A user's program: the contact carries the label through its `title` Output. */
const program = (title: string) => `import * as chatwoot from "pulumi-chatwoot";

const vip = new chatwoot.Label("vip", { title: "${title}", color: "#ff8800", showOnSidebar: true });
const alice = new chatwoot.Contact("alice", { identifier: "crm-1", labels: [vip.title] });
export const labels = alice.labels;
`;

describe("Label in a program: a contact's labels from the label's title", function () {
  this.timeout(120_000);
  let stack: ChatwootStack;
  let project: { dir: string; remove(): void };

  before(async () => {
    stack = await ChatwootStack.start();
    project = writeLinkedProject("label-program", program("VIP-Customer"));
  });
  after(async () => {
    await stack?.close();
    project?.remove();
  });

  const run = () =>
    runProgram({
      engine: stack.engine,
      programDir: project.dir,
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });

  it("creates the label before the contact, and a rename reaches the contact in the same up", async () => {
    const first = await run();
    assertProgramSucceeded(first);
    assert.deepEqual(first.stackOutputs.labels, ["vip-customer"]);
    // The engine records the dependency the Output carried, so it deletes the contact first, too.
    const contact = stack.engine.state.find((r) => r.type.endsWith(":Contact"))!;
    const label = stack.engine.state.find((r) => r.type.endsWith(":Label"))!;
    assert.ok(contact.dependencies?.includes(label.urn), "the contact must depend on the label");
    const [live] = (await stack.api<{ payload: Array<{ id: number; title: string }> }>("GET", "labels"))
      .payload;
    assert.equal(live?.title, "vip-customer");
    const contactLabels = async () =>
      (await stack.api<{ payload: string[] }>("GET", `contacts/${String(contact.outputs.contactId)}/labels`))
        .payload;
    assert.deepEqual(await contactLabels(), ["vip-customer"]);

    project.remove();
    project = writeLinkedProject("label-program", program("premium"));
    const renamed = await run();
    assertProgramSucceeded(renamed);
    assert.deepEqual(renamed.stackOutputs.labels, ["premium"]);
    assert.deepEqual(await contactLabels(), ["premium"]);
    const labels = (await stack.api<{ payload: Array<{ id: number; title: string }> }>("GET", "labels"))
      .payload;
    assert.deepEqual(
      labels.map((l) => [l.id, l.title]),
      [[live!.id, "premium"]],
      "renamed in place",
    );
  });
});
