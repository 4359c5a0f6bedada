import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { Seed, SeedData, SeedDataError, loadSeedData } from "../../provider";
import { listAll } from "../../provider/lookups/directory";
import { idFromListing } from "../../provider/seed/references";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** What the mock answered: the inputs and the computed outputs. */
  state?: Record<string, unknown>;
}

/** Runs `declare` under Pulumi's mocks and lists every resource it registered. */
async function expand(declare: () => Seed): Promise<Registered[]> {
  const registered: Registered[] = [];
  let next = 100;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        next += 1;
        const computed = args.type.endsWith(":Contact")
          ? { contactId: next }
          : args.type.endsWith(":ApiInbox")
            ? { inboxId: next }
            : args.type.endsWith(":Label")
              ? { labelId: next }
              : args.type.endsWith(":CustomAttributeDefinition")
                ? { definitionId: next }
                : args.type.endsWith(":ContactInbox")
                  ? { sourceId: `src-${args.name}` }
                  : { conversationId: next, url: `http://chatwoot/app/accounts/1/conversations/${next}` };
        const state = { ...args.inputs, ...computed };
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, state });
        return { id: String(next), state };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  );
  const seed = declare();
  await new Promise((resolve) => pulumi.all([seed.contactIds, seed.conversationUrls]).apply(resolve));
  return registered;
}

const data: SeedData = {
  inboxes: { api: 2 },
  agents: { sam: 3 },
  contacts: [
    {
      name: "Alice",
      email: "alice@example.com",
      identifier: "crm-1",
      labels: ["vip"],
      inboxes: [{ inbox: "api" }],
      conversations: [
        {
          key: "refund",
          inbox: "api",
          status: "resolved",
          assignee: "sam",
          messages: [{ content: "Hi", messageType: "incoming" }, { content: "Hello!" }],
        },
      ],
    },
    { key: "bob", phoneNumber: "+14155550101", conversations: [{ inbox: 2, messages: [{ content: "Yo" }] }] },
  ],
};

const names = (registered: Registered[]) =>
  registered.map((r) => `${r.type.split(":").pop()} ${r.name}`).sort();

describe("Seed component", () => {
  it("gives every resource it declares the same connection, and the program a secret one", async () => {
    const connection = { url: "https://chatwoot.example.com", apiAccessToken: "tok-seed-9a1", accountId: 7 };
    const registered = await expand(() => new Seed("demo", { data, connection }));
    const custom = registered.filter((resource) => resource.type.startsWith("pulumi-nodejs:dynamic/"));
    assert.equal(custom.length, 5);
    // The whole connection is one secret value, as the SDK serializes `pulumi.secret`.
    const sent = {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: connection,
    };
    for (const resource of custom) assert.deepEqual(resource.inputs.connection, sent, resource.name);
  });

  it("declares a contact, its contact inboxes and conversations, named from the data", async () => {
    const registered = await expand(() => new Seed("demo", { data }));
    const declared = names(registered);
    // Bob's conversation has no key: its name carries a digest of its inbox and first message.
    const bobConversation = declared.find((name) => name.startsWith("Conversation demo-conversation-bob-"));
    assert.match(bobConversation ?? "", /^Conversation demo-conversation-bob-c[0-9a-f]{10}$/);
    assert.deepEqual(
      declared,
      [
        "Contact demo-contact-bob",
        "Contact demo-contact-crm-1",
        "ContactInbox demo-session-crm-1-api",
        bobConversation!,
        "Conversation demo-conversation-crm-1-refund",
        "Seed demo",
      ].sort(),
    );
    // Besides the component, only this package's dynamic resource types are declared.
    assert.ok(
      registered
        .filter((r) => r.name !== "demo")
        .every((r) => r.type.startsWith("pulumi-nodejs:dynamic/chatwoot:")),
    );
  });

  it("wires contacts, sessions and lookups into the conversation's inputs", async () => {
    const registered = await expand(() => new Seed("demo", { data, inboxes: { api: 7 } }));
    const refund = registered.find((r) => r.name === "demo-conversation-crm-1-refund")!;
    const alice = registered.find((r) => r.name === "demo-contact-crm-1")!;
    assert.equal(alice.inputs.email, "alice@example.com");
    // The Seed's own lookup table wins over the data's.
    assert.equal(refund.inputs.inboxId, 7);
    assert.equal(refund.inputs.assigneeId, 3);
    assert.equal(refund.inputs.sourceId, "src-demo-session-crm-1-api");
    assert.equal(typeof refund.inputs.contactId, "number");
    assert.deepEqual(refund.inputs.messages, [
      { content: "Hi", messageType: "incoming" },
      { content: "Hello!", messageType: "outgoing" },
    ]);
  });

  it("gives the same names whatever the order of the data, and drops exactly a removed entry", async () => {
    const original = names(await expand(() => new Seed("demo", { data })));
    const reordered = names(
      await expand(() => new Seed("demo", { data: { ...data, contacts: [...data.contacts].reverse() } })),
    );
    assert.deepEqual(reordered, original);
    const withoutBob = names(
      await expand(() => new Seed("demo", { data: { ...data, contacts: [data.contacts[0]!] } })),
    );
    assert.deepEqual(
      original.filter((name) => !withoutBob.includes(name)),
      original.filter((name) => name.includes("-bob")),
    );
  });

  it("reads the same data set from a YAML file and from a JSON file", async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "seed-"));
    const { stringify } = await import("yaml");
    fs.writeFileSync(path.join(directory, "data.yaml"), stringify(data));
    fs.writeFileSync(path.join(directory, "data.json"), JSON.stringify(data));
    const fromObject = names(await expand(() => new Seed("demo", { data })));
    for (const file of ["data.yaml", "data.json"]) {
      assert.deepEqual(
        names(await expand(() => new Seed("demo", { data: path.join(directory, file) }))),
        fromObject,
      );
    }
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    [
      "an invalid email",
      { contacts: [{ key: "x", email: "nope" }] },
      /contacts\[0\] \(x\) \[email\]: must be a valid email address/,
    ],
    [
      "a contact without natural key",
      { contacts: [{ key: "ghost", name: "Ghost" }] },
      /contacts\[0\] \(ghost\): needs at least one of email, phoneNumber or identifier/,
    ],
    [
      "an unknown message type",
      {
        contacts: [
          {
            identifier: "a",
            conversations: [{ inbox: 1, messages: [{ content: "x", messageType: "note" }] }],
          },
        ],
      },
      /contacts\[0\] \(a\) conversations\[0\] \[messages\.0\.messageType\]: must be one of incoming, outgoing/,
    ],
    [
      "an empty transcript",
      { contacts: [{ identifier: "a", conversations: [{ inbox: 1, messages: [] }] }] },
      /\[messages\]: must hold at least one message/,
    ],
    ["a misspelt field", { contacts: [{ identifier: "a", emial: "a@b" }] }, /contacts\[0\] \(a\).*emial/],
    [
      "a contact label Chatwoot would split on its comma",
      { contacts: [{ identifier: "a", labels: ["vip", "a,b"] }] },
      /contacts\[0\] \(a\) \[labels\.1\]: must be a Chatwoot label title/,
    ],
    [
      "a conversation label with a space",
      {
        contacts: [
          {
            identifier: "a",
            conversations: [{ inbox: 1, labels: ["needs review"], messages: [{ content: "x" }] }],
          },
        ],
      },
      /contacts\[0\] \(a\) conversations\[0\] \[labels\.0\]: must be a Chatwoot label title/,
    ],
  ];
  for (const [what, bad, message] of invalid) {
    it(`rejects ${what}, naming the entry and the field`, () => {
      assert.throws(
        () => new Seed("bad", { data: bad as SeedData }),
        (error: Error) => {
          assert.ok(error instanceof SeedDataError, String(error));
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it("lower-cases labels and drops duplicates ignoring case, as Contact and Conversation do", () => {
    const data = loadSeedData({
      contacts: [
        {
          identifier: "a",
          labels: ["VIP", "vip", "Billing"],
          conversations: [{ inbox: 1, labels: ["Refund", "REFUND"], messages: [{ content: "x" }] }],
        },
      ],
    });
    assert.deepEqual(data.contacts[0]!.labels, ["billing", "vip"]);
    assert.deepEqual(data.contacts[0]!.conversations![0]!.labels, ["refund"]);
  });

  it("rejects two entries that would share a resource name, and an ambiguous declared inbox name", () => {
    assert.throws(
      () => new Seed("bad", { data: { contacts: [{ identifier: "A.B" }, { identifier: "a-b" }] } }),
      /contacts\[1\] \(a-b\) and contacts\[0\] \(a-b\) both get the resource name "contact-a-b"/,
    );
    const declared = { apiInboxes: [{ name: "Lumen API" }], contacts: [{ identifier: "a" }] };
    assert.throws(
      () =>
        new Seed("bad", {
          data: { ...declared, apiInboxes: [{ name: "Lumen API" }, { key: "b", name: "Lumen API" }] },
        }),
      /apiInboxes\[1\] \(b\): \[name\] "Lumen API" is declared twice/,
    );
    assert.throws(
      () => new Seed("bad", { data: declared, inboxes: { "Lumen API": 4 } }),
      /apiInboxes\[0\] \(Lumen API\): \[name\] "Lumen API" is also in the inboxes table/,
    );
    assert.throws(
      () => new Seed("bad", { data: { apiInboxes: [{ name: " " }], contacts: [] } }),
      /apiInboxes\[0\] \( \) \[name\]: must not be blank/,
    );
  });

  it("declares the data's labels, named by key or title, with Chatwoot's lower-cased title", async () => {
    const registered = await expand(
      () =>
        new Seed("demo", {
          data: {
            labels: [
              { title: "VIP", color: "#ff0000", showOnSidebar: true },
              { key: "refunds", title: "billing-refund", description: "Money back" },
            ],
            contacts: [{ identifier: "a", labels: ["Vip"] }],
          },
        }),
    );
    const labels = registered
      .filter((r) => r.type.endsWith(":Label"))
      .sort((a, b) => b.name.localeCompare(a.name));
    assert.deepEqual(
      labels.map((label) => [label.name, label.inputs.title, label.inputs.color ?? null]),
      [
        ["demo-label-vip", "vip", "#ff0000"],
        ["demo-label-refunds", "billing-refund", null],
      ],
    );
    assert.equal(labels[0]!.inputs.showOnSidebar, true);
    assert.equal(labels[1]!.inputs.description, "Money back");
    assert.throws(
      () =>
        new Seed("bad", {
          data: { labels: [{ title: "vip" }, { key: "again", title: "VIP" }], contacts: [] },
        }),
      /labels\[1\] \(again\) and labels\[0\] \(vip\) both declare the label "vip"/,
    );
    assert.throws(
      () => new Seed("bad", { data: { labels: [{ title: "no spaces" }], contacts: [] } }),
      /labels\[0\] \(no spaces\) \[title\]: must be a Chatwoot label title/,
    );
  });

  it("declares the data's custom attribute definitions, named by model and key", async () => {
    const registered = await expand(
      () =>
        new Seed("demo", {
          data: {
            customAttributeDefinitions: [
              {
                attributeModel: "contact",
                attributeKey: "plan",
                displayName: "Plan",
                displayType: "list",
                listValues: ["a", "b"],
              },
              {
                key: "order",
                attributeModel: "conversation",
                attributeKey: "order_id",
                displayName: "Order",
              },
            ],
            contacts: [{ identifier: "a", customAttributes: { plan: "a" } }],
          },
        }),
    );
    const definitions = registered
      .filter((r) => r.type.endsWith(":CustomAttributeDefinition"))
      .sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(
      definitions.map((definition) => [
        definition.name,
        definition.inputs.attributeModel,
        definition.inputs.attributeKey,
      ]),
      [
        ["demo-attribute-contact-plan", "contact", "plan"],
        ["demo-attribute-conversation-order", "conversation", "order_id"],
      ],
    );
    assert.deepEqual(definitions[0]!.inputs.listValues, ["a", "b"]);
    const twice = {
      customAttributeDefinitions: [
        { attributeModel: "contact" as const, attributeKey: "plan", displayName: "Plan" },
        { key: "other", attributeModel: "contact" as const, attributeKey: "plan", displayName: "Plan" },
      ],
      contacts: [],
    };
    assert.throws(
      () => new Seed("bad", { data: twice }),
      /customAttributeDefinitions\[1\] \(other\) and customAttributeDefinitions\[0\] \(plan\) both define the contact attribute "plan"/,
    );
    assert.throws(
      () =>
        new Seed("bad", {
          data: {
            customAttributeDefinitions: [{ attributeModel: "user", attributeKey: "x", displayName: "X" }],
            contacts: [],
          } as unknown as SeedData,
        }),
      /customAttributeDefinitions\[0\] \(x\) \[attributeModel\]: must be contact or conversation/,
    );
  });

  describe("names in no table", () => {
    const TOKEN = "sentinel-seed-lookup-token-0d3e";
    let emulator: RunningEmulator;
    let requests: string[];
    let connection: { url: string; apiAccessToken: string; accountId: number };

    before(async () => {
      requests = [];
      emulator = await startEmulator({
        adminToken: TOKEN,
        log: (line) => requests.push(line.split(" ").slice(1, 3).join(" ")),
      });
      connection = { url: emulator.url, apiAccessToken: TOKEN, accountId: emulator.accountId };
    });
    beforeEach(() => {
      emulator.reset();
      requests.length = 0;
    });
    after(() => emulator.close());

    const conversation = (key: string) => ({
      key,
      inbox: "API Inbox",
      assignee: "Agent@example.com",
      team: "Support",
      messages: [{ content: `about ${key}` }],
    });

    it("are looked up in Chatwoot through the Seed's connection, each kind's list once", async () => {
      const registered = await expand(
        () =>
          new Seed("demo", {
            connection,
            data: {
              contacts: [
                {
                  key: "amara",
                  identifier: "a",
                  inboxes: [{ inbox: "API Inbox" }],
                  conversations: [conversation("one"), conversation("two")],
                },
              ],
            },
          }),
      );
      const session = registered.find((r) => r.name === "demo-session-amara-api-inbox")!;
      assert.equal(session.inputs.inboxId, emulator.inboxId);
      for (const key of ["one", "two"]) {
        const declared = registered.find((r) => r.name === `demo-conversation-amara-${key}`)!;
        assert.equal(declared.inputs.inboxId, emulator.inboxId);
        assert.equal(declared.inputs.assigneeId, emulator.agentId);
        assert.equal(declared.inputs.teamId, emulator.teamId);
        assert.equal(declared.inputs.sourceId, "src-demo-session-amara-api-inbox");
      }
      assert.deepEqual(requests.sort(), [
        "GET /api/v1/accounts/1/agents",
        "GET /api/v1/accounts/1/inboxes",
        "GET /api/v1/accounts/1/teams",
      ]);
    });

    it("resolve a declared API inbox's name to that resource, not a lookup", async () => {
      const registered = await expand(
        () =>
          new Seed("demo", {
            connection,
            data: {
              apiInboxes: [
                { name: "API Inbox", webhookUrl: "https://example.com/cb", agents: ["agent@example.com"] },
              ],
              contacts: [
                {
                  key: "amara",
                  identifier: "a",
                  inboxes: [{ inbox: "API Inbox" }],
                  conversations: [{ key: "one", inbox: "API Inbox", messages: [{ content: "Hi" }] }],
                },
              ],
            },
          }),
      );
      const inbox = registered.find((r) => r.type.endsWith(":ApiInbox"))!;
      assert.equal(inbox.name, "demo-inbox-api-inbox");
      assert.equal(inbox.inputs.name, "API Inbox");
      assert.equal(inbox.inputs.webhookUrl, "https://example.com/cb");
      assert.deepEqual(inbox.inputs.agentIds, [emulator.agentId]);
      const session = registered.find((r) => r.name === "demo-session-amara-api-inbox")!;
      const conversationInputs = registered.find((r) => r.name === "demo-conversation-amara-one")!.inputs;
      // The declared resource's id (the mock's), not the id of the seeded inbox of the same name.
      assert.equal(session.inputs.inboxId, inbox.state!.inboxId);
      assert.equal(conversationInputs.inboxId, inbox.state!.inboxId);
      assert.notEqual(session.inputs.inboxId, emulator.inboxId);
      assert.deepEqual(requests, ["GET /api/v1/accounts/1/agents"]);
    });

    it("fail when nothing matches, naming the entry, the field and what was searched", async () => {
      const listing = await listAll("agent", connection, undefined);
      assert.throws(
        () => idFromListing(listing, "frontlne", "amara/refund", "assignee", { frontline: 3 }),
        (error: Error) => {
          assert.ok(error instanceof SeedDataError, String(error));
          assert.match(
            error.message,
            /^amara\/refund: \[assignee\] "frontlne" is not in a table \(the agents table has frontline\), and getAgent: no agent with the email "frontlne" in account 1; /,
          );
          return true;
        },
      );
      assert.equal(
        idFromListing(listing, "ADMIN@example.com", "amara/refund", "assignee", {}),
        emulator.adminId,
      );
    });
  });
});
