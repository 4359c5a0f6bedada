import { Agent } from "node:http";
import { requestJson } from "./http";
import type { EmulatorReady } from "./emulatorProcess";
import { PairSpec, forEachConcurrently, pairSpec } from "./workload";

/** What the raw client made for one pair, to refresh and delete it afterwards. */
export interface RawPair {
  readonly contactId: number;
  readonly conversationId: number;
}

/**
 * The same end state as the provider's, made with plain keep-alive HTTP and the fewest requests
 * Chatwoot's API allows (read from Chatwoot's controllers and builders, v4.14.2):
 *
 * - create, 8 a pair: `POST /contacts` with `inbox_id` (the contact and its first contact inbox in
 *   one request, `contacts_controller.rb#create`), `POST /contacts/:id/labels`, `POST /conversations`
 *   with the first message in `message` (`conversations_controller.rb#create` builds it in the same
 *   transaction), two `POST …/messages`, then `toggle_status`, `toggle_priority` and `labels`: the
 *   status goes last because an incoming message reopens a resolved conversation
 *   (`Message#reopen_conversation`), and priority and labels have no create parameter
 *   (`conversation_builder.rb`).
 * - refresh, 2 a resource: a contact and its labels (the contact JSON has none,
 *   `api/v1/models/_contact.json.jbuilder`), a conversation and its messages (the conversation JSON
 *   holds only the last one, `conversations/partials/_conversation.json.jbuilder`).
 * - destroy, 1 a pair: `DELETE /contacts/:id`; Chatwoot deletes its conversations and contact inboxes
 *   itself (`Contact has_many … dependent: :destroy_async`, `app/models/contact.rb`).
 */
export class RawClient {
  private readonly agent: Agent;

  constructor(
    private readonly ready: EmulatorReady,
    private readonly concurrency: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  }

  async create(count: number): Promise<RawPair[]> {
    const pairs: RawPair[] = new Array(count);
    await forEachConcurrently(count, this.concurrency, async (index) => {
      pairs[index] = await this.createPair(pairSpec(index));
    });
    return pairs;
  }

  async refresh(pairs: readonly RawPair[]): Promise<void> {
    await forEachConcurrently(pairs.length, this.concurrency, async (index) => {
      const { contactId, conversationId } = pairs[index]!;
      await this.call("GET", `contacts/${contactId}`);
      await this.call("GET", `contacts/${contactId}/labels`);
      await this.call("GET", `conversations/${conversationId}`);
      await this.call("GET", `conversations/${conversationId}/messages`);
    });
  }

  async destroy(pairs: readonly RawPair[]): Promise<void> {
    await forEachConcurrently(pairs.length, this.concurrency, async (index) => {
      await this.call("DELETE", `contacts/${pairs[index]!.contactId}`);
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private async createPair(spec: PairSpec): Promise<RawPair> {
    const { contact, conversation } = spec;
    const made = (await this.call("POST", "contacts", {
      name: contact.name,
      email: contact.email,
      custom_attributes: contact.customAttributes,
      inbox_id: this.ready.inboxId,
    })) as { payload: { contact: { id: number }; contact_inbox: { source_id: string } } };
    const contactId = made.payload.contact.id;
    await this.call("POST", `contacts/${contactId}/labels`, { labels: contact.labels });
    const [first, ...rest] = conversation.messages.map((message) => ({
      content: message.content,
      message_type: message.messageType,
      private: message.private ?? false,
    }));
    const created = (await this.call("POST", "conversations", {
      inbox_id: this.ready.inboxId,
      contact_id: contactId,
      source_id: made.payload.contact_inbox.source_id,
      message: first,
    })) as { id: number };
    const path = `conversations/${created.id}`;
    for (const message of rest) await this.call("POST", `${path}/messages`, message);
    await this.call("POST", `${path}/toggle_status`, { status: conversation.status });
    await this.call("POST", `${path}/toggle_priority`, { priority: conversation.priority });
    await this.call("POST", `${path}/labels`, { labels: conversation.labels });
    return { contactId, conversationId: created.id };
  }

  private call(method: string, route: string, body?: unknown): Promise<unknown> {
    const url = `${this.ready.url}/api/v1/accounts/${this.ready.accountId}/${route}`;
    return requestJson(this.agent, url, this.ready.adminToken, method, body);
  }
}

/** The fewest requests per pair, by route, that {@link RawClient} sends for each operation. */
export const MINIMUM_REQUESTS: Record<"create" | "noop" | "refresh" | "destroy", Record<string, number>> = {
  create: {
    "POST contacts": 1,
    "POST contacts/:id/labels": 1,
    "POST conversations": 1,
    "POST conversations/:id/messages": 2,
    "POST conversations/:id/toggle_status": 1,
    "POST conversations/:id/toggle_priority": 1,
    "POST conversations/:id/labels": 1,
  },
  noop: {},
  refresh: {
    "GET contacts/:id": 1,
    "GET contacts/:id/labels": 1,
    "GET conversations/:id": 1,
    "GET conversations/:id/messages": 1,
  },
  destroy: { "DELETE contacts/:id": 1 },
};
