import { strict as assert } from "node:assert";
import { ChatwootApiError } from "../../provider/client/errors";
import { contactImplementation as contacts } from "../../provider/resources/contact/provider";
import { deleteFailure } from "../../provider/resources/errors";
import { InProcessProvider } from "../support/inProcess";
import { AGENT_TOKEN } from "../support/stack";

interface LiveContact {
  id: number;
  name: string | null;
  email: string | null;
  phone_number: string | null;
  identifier: string | null;
  blocked: boolean;
}

/** Contact behaviours the README promises, through the provider's own create and update. */
describe("Contact provider (in process, against the emulator)", () => {
  let provider: InProcessProvider;
  before(async () => {
    provider = await InProcessProvider.start();
  });
  after(async () => provider?.close());
  beforeEach(() => provider.reset());

  const contactCount = () => provider.emulator.summary()[0]!.contacts;
  const live = async (id: string | number) =>
    (await provider.api<{ payload: LiveContact }>("GET", `contacts/${id}`)).payload;

  it("finds a contact known only by its phone number after the answer to its create was lost", async () => {
    provider.emulator.addFaultRule({
      method: "POST",
      path: "/contacts",
      fault: "commit_then_drop",
      times: 1,
    });
    const { id, outs } = await provider.create(contacts, { phoneNumber: "+14155550100" });
    assert.equal(provider.emulator.faults().fired, 1, "the fault must have fired");
    assert.equal(contactCount(), 1, "a lost answer must not make a second contact");
    assert.equal((await live(id)).phone_number, "+14155550100");
    assert.equal(outs.contactId, Number(id));
    const posts = provider.requests.filter((r) => r.method === "POST" && r.path.endsWith("/contacts"));
    assert.equal(posts.length, 1, "the applied POST was repeated");
  });

  it("refuses inputs whose email and identifier belong to two different contacts, even with adopt", async () => {
    const first = await provider.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      name: "A",
      email: "a@example.com",
    });
    const second = await provider.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      name: "B",
      identifier: "crm-2",
    });
    const ids = [first.payload.contact.id, second.payload.contact.id].sort((a, b) => a - b);
    await assert.rejects(
      provider.create(contacts, { email: "a@example.com", identifier: "crm-2", adopt: true }),
      (error: Error) => {
        assert.match(
          error.message,
          new RegExp(
            `match different existing contacts \\(${ids.join(", ")}\\); a contact resource can take over at most one`,
          ),
        );
        return true;
      },
    );
    assert.equal(contactCount(), 2, "nothing was created or changed");
  });

  it("adopts only an exact, case-sensitive identifier match", async () => {
    const existing = await provider.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      name: "Upper",
      identifier: "CRM-7",
    });
    const other = await provider.create(contacts, { identifier: "crm-7", adopt: true });
    assert.equal(other.outs.adopted, false);
    assert.notEqual(Number(other.id), existing.payload.contact.id);
    assert.equal(contactCount(), 2);
    const same = await provider.create(contacts, { identifier: "CRM-7", adopt: true });
    assert.equal(same.outs.adopted, true);
    assert.equal(Number(same.id), existing.payload.contact.id);
    assert.equal(contactCount(), 2);
  });

  it("clears email and identifier, unblocks, and keeps the name when they are left out", async () => {
    const full = {
      name: "Ann Example",
      email: "ann@example.com",
      phoneNumber: "+14155550101",
      identifier: "crm-9",
      blocked: true,
    };
    const { id, outs } = await provider.create(contacts, full);
    assert.deepEqual(
      (({ name, email, phone_number, identifier, blocked }) => ({
        name,
        email,
        phone_number,
        identifier,
        blocked,
      }))(await live(id)),
      {
        name: "Ann Example",
        email: "ann@example.com",
        phone_number: "+14155550101",
        identifier: "crm-9",
        blocked: true,
      },
    );
    const updated = await provider.update(contacts, id, outs, { phoneNumber: "+14155550101" });
    const after = await live(id);
    assert.equal(after.name, "Ann Example", "a name left out keeps Chatwoot's value");
    assert.equal(after.email, null);
    assert.equal(after.identifier, null);
    assert.equal(after.blocked, false);
    assert.equal(updated.email, undefined);
    assert.equal(updated.identifier, undefined);
    assert.equal(updated.blocked, false);
  });

  it("replaces a label set by a subset of itself", async () => {
    const { id, outs } = await provider.create(contacts, {
      identifier: "crm-3",
      labels: ["vip", "beta", "churn"],
    });
    assert.deepEqual(outs.labels, ["beta", "churn", "vip"]);
    const updated = await provider.update(contacts, id, outs, { identifier: "crm-3", labels: ["beta"] });
    const labels = await provider.api<{ payload: string[] }>("GET", `contacts/${id}/labels`);
    assert.deepEqual(labels.payload, ["beta"]);
    assert.deepEqual(updated.labels, ["beta"]);
    await provider.update(contacts, id, updated, { identifier: "crm-3" });
    assert.deepEqual((await provider.api<{ payload: string[] }>("GET", `contacts/${id}/labels`)).payload, []);
  });

  it("fails a refresh or a delete while Chatwoot answers 500, instead of taking the contact for gone", async () => {
    const { id, outs } = await provider.create(contacts, { identifier: "crm-5" });
    provider.emulator.addFaultRule({ path: `/contacts/${id}`, fault: "500" });
    await assert.rejects(contacts.read(id, outs), {
      message: `Reading contact ${id}: GET /api/v1/accounts/${provider.emulator.accountId}/contacts/${id} failed with 500: Internal Server Error`,
    });
    await assert.rejects(contacts.delete(id, outs), {
      message: `Deleting contact ${id}: DELETE /api/v1/accounts/${provider.emulator.accountId}/contacts/${id} failed with 500: Internal Server Error`,
    });
    provider.emulator.clearFaults();
    assert.equal((await live(id)).identifier, "crm-5");
    // Once Chatwoot answers 404, the contact is gone: a refresh drops it, a delete is done.
    await provider.api("DELETE", `contacts/${id}`);
    assert.deepEqual(await contacts.read(id, outs), { id: "" });
    await contacts.delete(id, outs);
  });

  it("says that only administrators may delete a contact when an agent's token tries", async () => {
    const { id, outs } = await provider.create(contacts, { identifier: "crm-6" });
    provider.configure({ "chatwoot:apiAccessToken": AGENT_TOKEN });
    await assert.rejects(contacts.delete(id, outs), {
      message:
        `Deleting contact ${id}: Chatwoot lets only administrators delete contacts (it answered 401 ` +
        '"You are not authorized to do this action"). Use an administrator\'s API access token for ' +
        "chatwoot:apiAccessToken, or keep the contact with the `retainOnDelete` resource option.",
    });
    assert.equal(contactCount(), 1);
  });

  it("keeps the plain explanation for a refused delete that is not Chatwoot's 401", () => {
    // A proxy in front of Chatwoot may answer 403 with any words.
    const forbidden = new ChatwootApiError(
      { method: "DELETE", path: "/api/v1/accounts/1/contacts/7" },
      { status: 403, chatwootMessage: "You are not authorized to do this action", attributes: [] },
    );
    assert.equal(
      deleteFailure("contact", "7", forbidden).message,
      "Deleting contact 7: DELETE /api/v1/accounts/1/contacts/7 failed with 403: You are not authorized to do this action",
    );
  });

  it("keeps the requests of a whole stack within maxConcurrency, as the server sees them", async () => {
    provider.configure({ "chatwoot:maxConcurrency": "2" });
    // Every answer takes 300 ms, so requests in flight together overlap on the server's clock.
    provider.emulator.addFaultRule({ path: "**", fault: "latency", latencyMs: 300, times: 1_000 });
    const names = ["c1", "c2", "c3", "c4", "c5"];
    await Promise.all(names.map((identifier) => provider.create(contacts, { identifier })));
    assert.equal(contactCount(), names.length);
    // At each arrival, how many requests the server was working on (its own clock only; 2 ms absorb
    // the log's rounding, far below the 300 ms each request is held).
    const overlaps = provider.requests.map(
      (request) =>
        provider.requests.filter((o) => o.arrivedAt <= request.arrivedAt && o.at > request.arrivedAt + 2)
          .length,
    );
    assert.ok(provider.requests.length >= names.length);
    assert.ok(Math.max(...overlaps) <= 2, `up to ${Math.max(...overlaps)} requests at once`);
    assert.equal(Math.max(...overlaps), 2, "the two places are used");
  });
});
