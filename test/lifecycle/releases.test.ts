import { strict as assert } from "node:assert";
import type { PropertyMap } from "../../harness/wire";
import { NEWEST_RELEASE, OLDEST_RELEASE } from "../../emulator";
import { ChatwootStack, declare } from "../support/stack";

/**
 * What differs between Chatwoot 4.x releases, through the provider: each test runs against the
 * releases on both sides of the change (whatever release the rest of the tier runs on).
 */
describe("The provider on every Chatwoot 4.x release", function () {
  this.timeout(60_000);

  interface ContactJson {
    id: number;
    additional_attributes: Record<string, unknown>;
  }

  async function upContact(stack: ChatwootStack, inputs: PropertyMap) {
    let outputs: PropertyMap = {};
    const result = await stack.engine.up(async (deployment) => {
      outputs = (await deployment.register(declare("Contact", "pat", inputs))).outputs;
    });
    assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
    return { op: result.steps.find((step) => step.urn.endsWith("::pat"))?.op, outputs };
  }

  // The phone filter changed in 4.7.0 (chatwoot app/services/contacts/filter_service.rb): the
  // releases on each side of it, and the ends of the supported range.
  for (const release of [OLDEST_RELEASE, "4.6.0", "4.7.0", NEWEST_RELEASE]) {
    describe(`Chatwoot ${release}: a contact known only by its phone number`, () => {
      let stack: ChatwootStack;
      before(async () => {
        stack = await ChatwootStack.start({ emulator: { chatwootVersion: release } });
      });
      after(async () => stack?.close());
      beforeEach(() => stack.reset());

      const phoneOnly = { name: "Pat Phone", phoneNumber: "+14155550123" };

      it("survives a lost create answer with exactly one contact", async () => {
        stack.emulator.addFaultRule({
          method: "POST",
          path: "/contacts",
          fault: "commit_then_drop",
          times: 1,
        });
        const { op, outputs } = await upContact(stack, phoneOnly);
        assert.equal(op, "create");
        assert.equal(stack.emulator.faults().fired, 1, "the fault must have fired");
        assert.equal(stack.counts().contacts, 1);
        const posts = stack.requests.filter((r) => r.method === "POST" && /\/contacts$/.test(r.path));
        assert.equal(posts.length, 1, "the POST was repeated although it had been applied");
        assert.equal(outputs.phoneNumber, "+14155550123");
        assert.equal((await upContact(stack, phoneOnly)).op, "same");
      });

      it("is adopted with adopt: true", async () => {
        const existing = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
          name: "Someone Else",
          phone_number: "+14155550123",
        });
        const { op, outputs } = await upContact(stack, { ...phoneOnly, adopt: true });
        assert.equal(op, "create");
        assert.equal(outputs.adopted, true);
        assert.equal(outputs.contactId, existing.payload.contact.id);
        assert.equal(outputs.name, "Pat Phone");
        assert.equal(stack.counts().contacts, 1);
      });
    });
  }

  // `PATCH /contacts/:id` replaced additional_attributes before 4.2.0 (chatwoot
  // app/controllers/api/v1/accounts/contacts_controller.rb, contact_update_params).
  for (const release of [OLDEST_RELEASE, "4.1.0", NEWEST_RELEASE]) {
    describe(`Chatwoot ${release}: additional attributes the program does not manage`, () => {
      let stack: ChatwootStack;
      before(async () => {
        stack = await ChatwootStack.start({ emulator: { chatwootVersion: release } });
      });
      after(async () => stack?.close());
      beforeEach(() => stack.reset());

      it("survive adoption and updates", async () => {
        const existing = await stack.api<{ payload: { contact: ContactJson } }>("POST", "contacts", {
          email: "pat@example.com",
          additional_attributes: { city: "Berlin", company_name: "Old Co" },
        });
        const id = existing.payload.contact.id;
        const inputs = {
          email: "pat@example.com",
          name: "Pat",
          additionalAttributes: { company_name: "Acme" },
        };
        assert.equal((await upContact(stack, { ...inputs, adopt: true })).outputs.adopted, true);
        const update = await upContact(stack, {
          ...inputs,
          adopt: true,
          name: "Pat Renamed",
          additionalAttributes: { company_name: "Acme 2" },
        });
        assert.equal(update.op, "update");
        const live = (await stack.api<{ payload: ContactJson }>("GET", `contacts/${id}`)).payload;
        assert.deepEqual(live.additional_attributes, { city: "Berlin", company_name: "Acme 2" });
      });
    });
  }

  // Chatwoot before 4.0.2 leaves `blocked` out of the contact JSON
  // (chatwoot app/views/api/v1/models/_contact.json.jbuilder) but stores it.
  describe(`Chatwoot ${OLDEST_RELEASE}: blocked, which the contact JSON does not show`, () => {
    let stack: ChatwootStack;
    before(async () => {
      stack = await ChatwootStack.start({ emulator: { chatwootVersion: OLDEST_RELEASE } });
    });
    after(async () => stack?.close());

    it("is written, kept in the outputs, and neither a second up nor a refresh sees a change", async () => {
      const inputs = { email: "blocked@example.com", blocked: true };
      const created = await upContact(stack, inputs);
      assert.equal(created.outputs.blocked, true);
      const blocked = await stack.api<{ payload: unknown[] }>("POST", "contacts/filter", {
        payload: [{ attribute_key: "blocked", filter_operator: "equal_to", values: [true] }],
      });
      assert.equal(blocked.payload.length, 1, "Chatwoot holds the contact as blocked");
      assert.equal((await upContact(stack, inputs)).op, "same");
      const refresh = await stack.engine.refresh();
      assert.deepEqual(
        refresh.steps.map((step) => step.refreshResult),
        ["same"],
      );
      assert.equal((await upContact(stack, inputs)).op, "same");
      const unblocked = await upContact(stack, { ...inputs, blocked: false });
      assert.equal(unblocked.op, "update");
      assert.equal(unblocked.outputs.blocked, false);
      assert.equal((await upContact(stack, { ...inputs, blocked: false })).op, "same");
    });
  });

  // Messages a release would refuse or change are refused before anything is written, from the
  // release `GET /api` reports (chatwoot app/controllers/api_controller.rb).
  const releaseBound = [
    {
      // `voice_call` joined Message's content_type enum in 4.6.0 (chatwoot app/models/message.rb).
      what: "a voice_call message",
      before: "4.5.2",
      since: "4.6.0",
      message: { content: "Missed call", messageType: "incoming", contentType: "voice_call" },
      error:
        /\[messages\.0\.contentType\] needs Chatwoot 4\.6\.0 or later, and this server is 4\.5\.2: the voice_call content type .*Nothing was written; upgrade Chatwoot or leave the field out\./,
    },
    {
      // The message builder keeps every content attribute since 4.9.0, before only items and
      // in_reply_to (chatwoot app/builders/messages/message_builder.rb).
      what: "a message with its own content attributes",
      before: "4.8.0",
      since: "4.9.0",
      message: { content: "Tracking", messageType: "incoming", contentAttributes: { tracking: "T-1" } },
      error:
        /\[messages\.0\.contentAttributes\] needs Chatwoot 4\.9\.0 or later, and this server is 4\.8\.0: .*so tracking would be dropped/,
    },
  ];
  for (const { what, before: oldRelease, since, message, error } of releaseBound) {
    describe(`${what}`, () => {
      async function seed(release: string) {
        const stack = await ChatwootStack.start({ emulator: { chatwootVersion: release } });
        try {
          const contact = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
            email: "caller@example.com",
          });
          const program = () =>
            stack.engine.up(async (deployment) => {
              await deployment.register(
                declare("Conversation", "call", {
                  inboxId: stack.emulator.inboxId,
                  contactId: contact.payload.contact.id,
                  messages: [message, message],
                }),
              );
            });
          const first = await program();
          // Asked once per command (one host), however many messages need a release.
          const releaseAsked = stack.requests.filter((r) => r.method === "GET" && r.path === "/api").length;
          const second = first.errors.length === 0 ? await program() : undefined;
          return { first, second, releaseAsked, conversations: stack.counts().conversations };
        } finally {
          await stack.close();
        }
      }

      it(`is refused on Chatwoot ${oldRelease} before anything is written, naming the field and the release`, async () => {
        const { first, releaseAsked, conversations } = await seed(oldRelease);
        assert.equal(releaseAsked, 1);
        assert.equal(first.errors.length, 1);
        assert.match(first.errors[0]?.message ?? "", error);
        assert.equal(conversations, 0, "no conversation may be left half-made");
      });

      it(`is seeded on Chatwoot ${since}, and a second up changes nothing`, async () => {
        const { first, second, releaseAsked, conversations } = await seed(since);
        assert.deepEqual(first.errors, [], JSON.stringify(first.errors));
        assert.equal(releaseAsked, 1);
        assert.equal(second?.summary.same, 1);
        assert.equal(conversations, 1);
      });
    });
  }
});
