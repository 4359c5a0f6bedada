import { strict as assert } from "node:assert";
import { ChatwootStack, declare } from "../support/stack";

/**
 * Contact inboxes Chatwoot answers with a bare 500 (chatwoot app/builders/contact_inbox_builder.rb
 * and the unique index on contact_inboxes (inbox_id, source_id)): the provider says what is wrong
 * before it writes anything, instead of retrying into "Internal Server Error".
 */
describe("Contact inboxes Chatwoot cannot make: refused before any write", function () {
  this.timeout(60_000);
  let stack: ChatwootStack;
  let lineInbox: number;

  before(async () => {
    stack = await ChatwootStack.start();
  });
  after(async () => stack?.close());
  beforeEach(async () => {
    stack.reset();
    const inbox = await stack.api<{ id: number }>("POST", "inboxes", {
      name: "LINE",
      channel: { type: "line", line_channel_id: "L-1", line_channel_secret: "s", line_channel_token: "t" },
    });
    lineInbox = inbox.id;
    stack.requests.length = 0;
  });

  const writes = () =>
    stack.requests.filter((request) => request.method !== "GET" && !request.path.endsWith("/filter"));
  const serverErrors = () => stack.requests.filter((request) => request.status.startsWith("5"));
  const needsSourceId = () =>
    new RegExp(
      `\\[sourceId\\] is required: inbox ${lineInbox} is a Channel::Line inbox, where Chatwoot cannot make a ` +
        "contact inbox without a source id",
    );

  it("a contact with a first contact inbox in a LINE inbox needs a sourceId", async () => {
    const result = await stack.engine.up(async (d) => {
      await d.register(declare("Contact", "alice", { email: "alice@example.com", inboxId: lineInbox }));
    });
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]!.message, needsSourceId());
    assert.deepEqual([writes(), serverErrors(), stack.counts().contacts], [[], [], 0]);
    const given = await stack.engine.up(async (d) => {
      await d.register(
        declare("Contact", "alice", { email: "alice@example.com", inboxId: lineInbox, sourceId: "U1" }),
      );
    });
    assert.deepEqual(given.errors, []);
  });

  it("a ContactInbox or a Conversation in a LINE inbox needs a sourceId", async () => {
    const result = await stack.engine.up(
      async (d) => {
        const contact = await d.register(declare("Contact", "alice", { email: "alice@example.com" }));
        const contactId = contact.outputs.contactId!;
        await Promise.allSettled([
          d.register(declare("ContactInbox", "alice-line", { contactId, inboxId: lineInbox })),
          d.register(
            declare("Conversation", "hello", {
              contactId,
              inboxId: lineInbox,
              messages: [{ content: "Hello", messageType: "outgoing" }],
            }),
          ),
        ]);
      },
      { continueOnError: true },
    );
    assert.equal(result.errors.length, 2, JSON.stringify(result.errors));
    for (const error of result.errors) assert.match(error.message, needsSourceId());
    assert.deepEqual(
      writes().map((request) => `${request.method} ${request.path}`),
      [`POST /api/v1/accounts/${stack.emulator.accountId}/contacts`],
      "only the contact was written",
    );
    assert.deepEqual(serverErrors(), []);
  });

  it("a contact whose sourceId another contact holds in the inbox names that contact", async () => {
    const holder = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      identifier: "someone-else",
      inbox_id: stack.emulator.inboxId,
      source_id: "shared-session",
    });
    stack.requests.length = 0;
    const program = (sourceId: string) =>
      stack.engine.up(async (d) => {
        await d.register(
          declare("Contact", "alice", { identifier: "crm-1", inboxId: stack.emulator.inboxId, sourceId }),
        );
      });
    const result = await program("shared-session");
    assert.equal(result.errors.length, 1);
    assert.match(
      result.errors[0]!.message,
      new RegExp(
        `\\[sourceId\\] "shared-session" is already used in inbox ${stack.emulator.inboxId} by contact ` +
          `${holder.payload.contact.id}; Chatwoot keeps source ids unique per inbox`,
      ),
    );
    assert.deepEqual([writes(), serverErrors(), stack.counts().contacts], [[], [], 1]);
    // Moving an existing contact's session onto a held source id is refused the same way.
    assert.deepEqual((await program("own-session")).errors, []);
    stack.requests.length = 0;
    const moved = await program("shared-session");
    assert.match(moved.errors[0]?.message ?? "", /"shared-session" is already used/);
    assert.deepEqual(serverErrors(), []);
  });
});
