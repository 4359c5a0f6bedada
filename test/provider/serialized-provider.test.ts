import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as source from "../../provider";

const SENTINEL = "sentinel-token-5f1c2a9e7d";
const GOLDEN_DIR = path.join(__dirname, "..", "golden");

interface Registered {
  type: string;
  inputs: Record<string, unknown>;
}

/** Declares one resource under Pulumi's mocks and returns what the engine would receive. */
async function register(declare: () => pulumi.Resource): Promise<Registered> {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, inputs: args.inputs });
        return { id: "1", state: { ...args.inputs, contactId: 1, sourceId: "s-1" } };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  );
  const resource = declare();
  await new Promise((resolve) => resource.urn.apply(resolve));
  assert.equal(registered.length, 1);
  return registered[0]!;
}

const kinds = {
  Contact: (lib: typeof source) => () => new lib.Contact("alice", { email: "alice@example.com" }),
  ContactInbox: (lib: typeof source) => () => new lib.ContactInbox("alice-api", { contactId: 1, inboxId: 2 }),
  Conversation: (lib: typeof source) => () =>
    new lib.Conversation("refund", { contactId: 1, inboxId: 2, messages: [{ content: "Hi" }] }),
  ApiInbox: (lib: typeof source) => () => new lib.ApiInbox("api", { name: "API" }),
  Label: (lib: typeof source) => () => new lib.Label("vip", { title: "vip" }),
  CustomAttributeDefinition: (lib: typeof source) => () =>
    new lib.CustomAttributeDefinition("plan", {
      attributeModel: "contact",
      attributeKey: "plan",
      displayName: "Plan",
    }),
};

describe("serialized provider (__provider)", () => {
  const savedToken = process.env.CHATWOOT_API_ACCESS_TOKEN;
  before(() => {
    // A token present everywhere a careless provider could capture it from.
    process.env.CHATWOOT_API_ACCESS_TOKEN = SENTINEL;
  });
  after(() => {
    if (savedToken === undefined) delete process.env.CHATWOOT_API_ACCESS_TOKEN;
    else process.env.CHATWOOT_API_ACCESS_TOKEN = savedToken;
  });

  // The TypeScript sources (as tests load them) and the compiled package (as users load it).
  const builds: Array<[string, () => typeof source]> = [
    ["TypeScript sources", () => source],
    ["compiled package", () => require("pulumi-chatwoot") as typeof source],
  ];

  for (const [kind, declareWith] of Object.entries(kinds)) {
    for (const [build, load] of builds) {
      it(`${kind} from the ${build}: a small, secret-free, path-free text equal to the golden copy`, async () => {
        const { type, inputs } = await register(declareWith(load()));
        assert.equal(type, `pulumi-nodejs:dynamic/chatwoot:${kind}`);
        const text = inputs.__provider;
        assert.equal(typeof text, "string", "__provider must be plain text, not a secret");
        const provider = text as string;
        assert.ok(provider.length <= 2048, `${provider.length} bytes is over the 2 KB budget`);
        assert.ok(!provider.includes(SENTINEL), "the token was captured");
        for (const machinePath of [process.cwd(), os.homedir(), os.tmpdir(), __dirname]) {
          assert.ok(!provider.includes(machinePath), `the path ${machinePath} was captured`);
        }
        assert.ok(!provider.includes(require("../../package.json").version), "a version string was captured");
        // Byte-identical across builds and versions: any change here shows as ~__provider on
        // every resource of every stack, so it must be a deliberate, reviewed change.
        const golden = fs.readFileSync(path.join(GOLDEN_DIR, `provider-${kind}.js`), "utf8");
        assert.equal(provider, golden);
      });
    }
  }

  it("declares every output, including the ones the program leaves out", async () => {
    const { inputs } = await register(kinds.Contact(source));
    // Placeholders are not sent as inputs: only what the program set, plus __provider.
    assert.deepEqual(Object.keys(inputs).sort(), ["__provider", "email"]);
    const contact = new source.Contact("bob", { identifier: "crm-2" });
    const contactId = await new Promise((resolve) => contact.contactId.apply(resolve));
    assert.equal(contactId, 1);
  });
});
