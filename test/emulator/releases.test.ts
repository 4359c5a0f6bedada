import assert from "node:assert/strict";
import {
  NEWEST_RELEASE,
  OLDEST_RELEASE,
  SUPPORTED_RELEASES,
  UnsupportedReleaseError,
  startEmulator,
  type RunningEmulator,
} from "../../emulator";
import { ApiClient, createContact, createConversation, type JsonBody } from "./helpers";

/**
 * Release profiles: each behaviour that changed within 4.x, on the last release before the change
 * and on the release that brought it. The versions are written out from Chatwoot's tagged source
 * (cited per test), so moving a flag's release breaks these tests.
 */
describe("emulator: Chatwoot release profiles", function () {
  this.timeout(20_000);

  /** Runs `check` against an emulator behaving like `version`, then stops it. */
  async function onRelease(
    version: string,
    check: (admin: ApiClient, emulator: RunningEmulator) => Promise<void>,
  ): Promise<void> {
    const emulator = await startEmulator({ chatwootVersion: version, conversationDeleteDelayMs: 1 });
    try {
      const admin = new ApiClient(
        `${emulator.url}/api/v1/accounts/${emulator.accountId}`,
        emulator.adminToken,
      );
      await check(admin, emulator);
    } finally {
      await emulator.close();
    }
  }

  describe("choosing a release", () => {
    // `ApiController#index` renders `Chatwoot.config[:version]` (config/app.yml) without a token
    // (chatwoot app/controllers/api_controller.rb, `skip_before_action :set_current_user`).
    for (const version of [OLDEST_RELEASE, "4.8.0", NEWEST_RELEASE]) {
      it(`answers GET /api with release ${version}, without a token`, async () => {
        const emulator = await startEmulator({ chatwootVersion: version });
        try {
          const response = await fetch(`${emulator.url}/api`);
          assert.equal(response.status, 200);
          const body = (await response.json()) as Record<string, unknown>;
          assert.deepEqual(Object.keys(body), ["version", "timestamp", "queue_services", "data_services"]);
          assert.equal(body.version, version);
          assert.match(String(body.timestamp), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        } finally {
          await emulator.close();
        }
      });
    }

    it("behaves like 4.14.2 unless told otherwise, and says which release it is", async () => {
      const emulator = await startEmulator();
      try {
        assert.equal(emulator.chatwootVersion, "4.14.2");
      } finally {
        await emulator.close();
      }
      assert.equal(NEWEST_RELEASE, "4.14.2");
      assert.equal(OLDEST_RELEASE, "4.0.0");
      assert.equal(SUPPORTED_RELEASES[0], OLDEST_RELEASE);
      assert.equal(SUPPORTED_RELEASES.at(-1), NEWEST_RELEASE);
    });

    it("takes a release with or without a leading v", async () => {
      for (const version of ["4.1.0", "v4.1.0"]) {
        const emulator = await startEmulator({ chatwootVersion: version });
        assert.equal(emulator.chatwootVersion, "4.1.0");
        await emulator.close();
      }
    });

    it("refuses an unknown release at startup, listing the supported ones", async () => {
      for (const version of ["4.15.0", "3.16.0", "latest", ""]) {
        await assert.rejects(
          startEmulator({ chatwootVersion: version }),
          (error: unknown) =>
            error instanceof UnsupportedReleaseError &&
            error.message.includes(JSON.stringify(version)) &&
            error.message.includes("4.0.0, 4.0.1") &&
            error.message.includes("4.14.1, 4.14.2"),
        );
      }
    });
  });

  describe("contacts", () => {
    it("PATCH /contacts/:id replaces additional_attributes before 4.2.0 and merges them from 4.2.0 (contacts_controller.rb, contact_update_params)", async () => {
      const expected: Record<string, Record<string, unknown>> = {
        "4.1.0": { city: "Berlin" },
        "4.2.0": { company_name: "Acme", city: "Berlin" },
      };
      for (const [version, attributes] of Object.entries(expected)) {
        await onRelease(version, async (admin) => {
          const created = await createContact(admin, {
            email: "ada@example.com",
            additional_attributes: { company_name: "Acme" },
          });
          const id = created.contact.id;
          const updated = await admin.patch(`/contacts/${id}`, { additional_attributes: { city: "Berlin" } });
          assert.equal(updated.status, 200, updated.text);
          assert.deepEqual(updated.body.payload.additional_attributes, attributes, version);
          const read = await admin.get(`/contacts/${id}`);
          assert.deepEqual(read.body.payload.additional_attributes, attributes, version);
          // Leaving the key out keeps the stored attributes on every release.
          await admin.patch(`/contacts/${id}`, { name: "Ada" });
          assert.deepEqual(
            (await admin.get(`/contacts/${id}`)).body.payload.additional_attributes,
            attributes,
          );
        });
      }
    });

    it("the phone_number filter prefixes + to the value as sent before 4.7.0 and strips + first from 4.7.0 (contacts/filter_service.rb, filter_values)", async () => {
      const matches: Record<string, { withPlus: number; withoutPlus: number }> = {
        "4.6.0": { withPlus: 0, withoutPlus: 1 },
        "4.7.0": { withPlus: 1, withoutPlus: 1 },
      };
      for (const [version, expected] of Object.entries(matches)) {
        await onRelease(version, async (admin) => {
          await createContact(admin, { name: "Phone only", phone_number: "+14155550100" });
          const count = async (value: string) => {
            const response = await admin.post("/contacts/filter", {
              payload: [{ attribute_key: "phone_number", filter_operator: "equal_to", values: [value] }],
            });
            assert.equal(response.status, 200, response.text);
            return (response.body.payload as JsonBody[]).length;
          };
          assert.equal(await count("+14155550100"), expected.withPlus, `${version} with +`);
          assert.equal(await count("14155550100"), expected.withoutPlus, `${version} without +`);
        });
      }
    });

    it("the contact filter searches every contact before 4.7.0 and only resolved ones from 4.7.0 (contacts/filter_service.rb, base_relation)", async () => {
      const found: Record<string, number> = { "4.6.0": 1, "4.7.0": 0 };
      for (const [version, expected] of Object.entries(found)) {
        await onRelease(version, async (admin) => {
          await createContact(admin, { name: "Nobody Known" });
          const response = await admin.post("/contacts/filter", {
            payload: [{ attribute_key: "name", filter_operator: "equal_to", values: ["Nobody Known"] }],
          });
          assert.equal(response.status, 200, response.text);
          assert.equal(response.body.payload.length, expected, version);
        });
      }
    });

    it("contact JSON has no blocked key before 4.0.2 (_contact.json.jbuilder)", async () => {
      const present: Record<string, boolean> = { "4.0.1": false, "4.0.2": true };
      for (const [version, expected] of Object.entries(present)) {
        await onRelease(version, async (admin) => {
          const created = await createContact(admin, { email: "b@example.com", blocked: true });
          const read = (await admin.get(`/contacts/${created.contact.id}`)).body.payload;
          assert.equal("blocked" in read, expected, version);
          if (expected) assert.equal(read.blocked, true);
        });
      }
    });
  });

  describe("conversations and messages", () => {
    it("DELETE /conversations/:id is an unknown route before 4.3.0 (config/routes.rb)", async () => {
      await onRelease("4.2.0", async (admin, emulator) => {
        const { conversationId } = await createConversation(admin, emulator.inboxId);
        const response = await admin.request("DELETE", `/conversations/${conversationId}`);
        assert.equal(response.status, 404);
        assert.match(response.headers.get("content-type") ?? "", /text\/html/);
        assert.match(response.text, /Page not found/);
        assert.equal((await admin.get(`/conversations/${conversationId}`)).status, 200);
      });
      await onRelease("4.3.0", async (admin, emulator) => {
        const { conversationId } = await createConversation(admin, emulator.inboxId);
        assert.equal((await admin.request("DELETE", `/conversations/${conversationId}`)).status, 200);
      });
    });

    it("refuses the voice_call content type before 4.6.0 (message.rb content_type enum)", async () => {
      await onRelease("4.5.2", async (admin, emulator) => {
        const { conversationId } = await createConversation(admin, emulator.inboxId);
        const refused = await admin.post(`/conversations/${conversationId}/messages`, {
          content: "Call",
          content_type: "voice_call",
        });
        assert.equal(refused.status, 422);
        assert.deepEqual(refused.body, { error: "'voice_call' is not a valid content_type" });
        // The other content types are unchanged, also by their enum number.
        const sticker = await admin.post(`/conversations/${conversationId}/messages`, {
          content: "Sticker",
          content_type: 11,
        });
        assert.equal(sticker.status, 200, sticker.text);
        assert.equal(sticker.body.content_type, "sticker");
      });
      await onRelease("4.6.0", async (admin, emulator) => {
        const { conversationId } = await createConversation(admin, emulator.inboxId);
        const accepted = await admin.post(`/conversations/${conversationId}/messages`, {
          content: "Call",
          content_type: "voice_call",
        });
        assert.equal(accepted.status, 200, accepted.text);
        assert.equal(accepted.body.content_type, "voice_call");
      });
    });

    it("keeps only items and in_reply_to of content_attributes before 4.9.0 (messages/message_builder.rb, message_params)", async () => {
      const kept: Record<string, Record<string, unknown>> = {
        "4.8.0": { in_reply_to: 7 },
        "4.9.0": { in_reply_to: 7, campaign: "spring" },
      };
      for (const [version, expected] of Object.entries(kept)) {
        await onRelease(version, async (admin, emulator) => {
          const { conversationId } = await createConversation(admin, emulator.inboxId);
          const posted = await admin.post(`/conversations/${conversationId}/messages`, {
            content: "Hello",
            content_attributes: { in_reply_to: 7, campaign: "spring" },
          });
          assert.equal(posted.status, 200, posted.text);
          assert.deepEqual(posted.body.content_attributes, expected, version);
        });
      }
    });

    it("agent-bot assignment and meta.assignee_type exist only from 4.8.0 (assignments_controller.rb, _conversation.json.jbuilder)", async () => {
      await onRelease("4.7.0", async (admin, emulator) => {
        const { conversationId } = await createConversation(admin, emulator.inboxId);
        await admin.post(`/conversations/${conversationId}/assignments`, { assignee_id: emulator.agentId });
        const meta = (await admin.get(`/conversations/${conversationId}`)).body.meta;
        assert.equal(meta.assignee.id, emulator.agentId);
        assert.equal("assignee_type" in meta, false);
        // `assignee_type` is ignored: the id is looked up among the account's users.
        await admin.post(`/conversations/${conversationId}/assignments`, {
          assignee_id: emulator.adminId,
          assignee_type: "AgentBot",
        });
        const after = (await admin.get(`/conversations/${conversationId}`)).body.meta;
        assert.equal(after.assignee.id, emulator.adminId);
        assert.equal(after.assignee.email !== undefined, true, "a user, not a bot");
        assert.equal("assignee_type" in after, false);
      });
      await onRelease("4.8.0", async (admin, emulator) => {
        const { conversationId } = await createConversation(admin, emulator.inboxId);
        await admin.post(`/conversations/${conversationId}/assignments`, { assignee_id: emulator.agentId });
        assert.equal((await admin.get(`/conversations/${conversationId}`)).body.meta.assignee_type, "User");
        await admin.post(`/conversations/${conversationId}/assignments`, {
          assignee_id: emulator.botId,
          assignee_type: "AgentBot",
        });
        const meta = (await admin.get(`/conversations/${conversationId}`)).body.meta;
        assert.equal(meta.assignee_type, "AgentBot");
        assert.equal(meta.assignee.id, emulator.botId);
      });
    });
  });

  describe("custom attribute definitions", () => {
    const PATH = "/custom_attribute_definitions";
    const definition = (fields: Record<string, unknown>) => ({
      custom_attribute_definition: {
        attribute_display_name: "Attribute",
        attribute_model: "contact_attribute",
        ...fields,
      },
    });

    it("refuses a standard attribute's key from 4.0.4 (custom_attribute_definition.rb, attribute_must_not_conflict)", async () => {
      const status: Record<string, number> = { "4.0.3": 200, "4.0.4": 422 };
      for (const [version, expected] of Object.entries(status)) {
        await onRelease(version, async (admin) => {
          const response = await admin.post(PATH, definition({ attribute_key: "email" }));
          assert.equal(response.status, expected, `${version}: ${response.text}`);
        });
      }
    });

    it("strips the key and checks its format from 4.12.0 (custom_attribute_definition.rb, normalize_attribute_fields)", async () => {
      const keys: Record<string, { spaced: string; twoWords: number }> = {
        "4.11.1": { spaced: " plan ", twoWords: 200 },
        "4.12.0": { spaced: "plan", twoWords: 422 },
      };
      for (const [version, expected] of Object.entries(keys)) {
        await onRelease(version, async (admin) => {
          const spaced = await admin.post(PATH, definition({ attribute_key: " plan " }));
          assert.equal(spaced.body.attribute_key, expected.spaced, version);
          const twoWords = await admin.post(PATH, definition({ attribute_key: "two words" }));
          assert.equal(twoWords.status, expected.twoWords, version);
        });
      }
    });

    it("compares a text attribute's values before 4.12.0 and refuses them from 4.12.0 (filter_service.rb, lt_gt_filter_query)", async () => {
      const outcomes: Record<string, { text: number; badNumber: number; currency: number }> = {
        "4.11.1": { text: 200, badNumber: 500, currency: 500 },
        "4.12.0": { text: 422, badNumber: 422, currency: 422 },
      };
      for (const [version, expected] of Object.entries(outcomes)) {
        await onRelease(version, async (admin) => {
          for (const [key, type] of [
            ["plan", "text"],
            ["score", "number"],
            ["fee", "currency"],
          ]) {
            await admin.post(PATH, definition({ attribute_key: key, attribute_display_type: type }));
          }
          await createContact(admin, {
            name: "Ann",
            email: "ann@example.com",
            custom_attributes: { plan: "pro" },
          });
          const compare = async (key: string, value: string) =>
            admin.post("/contacts/filter", {
              payload: [{ attribute_key: key, filter_operator: "is_greater_than", values: [value] }],
            });
          const text = await compare("plan", "free");
          assert.equal(text.status, expected.text, version);
          if (text.status === 200) assert.equal(text.body.payload.length, 1, "'pro' > 'free'");
          assert.equal((await compare("score", "ten")).status, expected.badNumber, version);
          assert.equal((await compare("fee", "5")).status, expected.currency, version);
        });
      }
    });

    it("lets only administrators write definitions from 4.14.0 (custom_attribute_definition_policy.rb)", async () => {
      const status: Record<string, number> = { "4.13.0": 200, "4.14.0": 401 };
      for (const [version, expected] of Object.entries(status)) {
        await onRelease(version, async (admin, emulator) => {
          const agent = admin.withToken(emulator.agentToken);
          const response = await agent.post(PATH, definition({ attribute_key: "plan" }));
          assert.equal(response.status, expected, version);
          assert.equal((await agent.get(PATH)).status, 200, "agents read on every release");
        });
      }
    });

    it("knows company attributes, and company_name as a contact's standard key, from 4.14.0 (custom_attribute_definition.rb)", async () => {
      const status: Record<string, { company: number; companyName: number }> = {
        "4.13.0": { company: 500, companyName: 200 },
        "4.14.0": { company: 200, companyName: 422 },
      };
      for (const [version, expected] of Object.entries(status)) {
        await onRelease(version, async (admin) => {
          const company = await admin.post(
            PATH,
            definition({ attribute_key: "tier", attribute_model: "company_attribute" }),
          );
          assert.equal(company.status, expected.company, version);
          const companyName = await admin.post(PATH, definition({ attribute_key: "company_name" }));
          assert.equal(companyName.status, expected.companyName, version);
        });
      }
    });
  });

  describe("labels", () => {
    it("a deleted label stays on contacts and conversations before 4.14.0 (labels_controller.rb destroy, Labels::RemoveAssociationsJob)", async () => {
      const kept: Record<string, string[]> = { "4.13.0": ["gone", "kept"], "4.14.0": ["kept"] };
      for (const [version, expected] of Object.entries(kept)) {
        await onRelease(version, async (admin, emulator) => {
          const label = (await admin.post("/labels", { label: { title: "gone" } })).body;
          const { conversationId, contactId } = await createConversation(admin, emulator.inboxId);
          await admin.post(`/conversations/${conversationId}/labels`, { labels: ["gone", "kept"] });
          await admin.post(`/contacts/${contactId}/labels`, { labels: ["gone", "kept"] });
          assert.equal((await admin.request("DELETE", `/labels/${label.id}`)).status, 200);
          const onConversation = (await admin.get(`/conversations/${conversationId}/labels`)).body.payload;
          const onContact = (await admin.get(`/contacts/${contactId}/labels`)).body.payload;
          assert.deepEqual(onConversation, expected, version);
          assert.deepEqual(onContact, expected, version);
        });
      }
    });
  });
});
