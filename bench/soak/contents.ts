import { Agent } from "node:http";
import type { EmulatorReady } from "../seed/emulatorProcess";
import { requestJson } from "../seed/http";
import { forEachConcurrently } from "../seed/workload";

/**
 * What the account holds, read through Chatwoot's Application API as any client would (never the
 * emulator's inspection routes), so the soak's verdict rests on what a user could see.
 */
export interface AccountContents {
  readonly contacts: ReadonlyArray<{
    readonly id: number;
    readonly name: string | null;
    readonly email: string | null;
    readonly customAttributes: Record<string, unknown>;
    readonly labels: readonly string[];
    readonly contactInboxes: number;
  }>;
  readonly conversations: ReadonlyArray<{
    readonly id: number;
    readonly contactId: number;
    readonly status: string;
    readonly priority: string | null;
    readonly labels: readonly string[];
    /** The contents of its messages, oldest first, with activity messages left out. */
    readonly messages: ReadonlyArray<{ content: string | null; messageType: number; private: boolean }>;
  }>;
}

/** Chatwoot's message types that a seed posts: incoming (0) and outgoing (1). */
const SEEDED_MESSAGE_TYPES = new Set([0, 1]);

export async function readAccount(ready: EmulatorReady, concurrency: number): Promise<AccountContents> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    return await readWith(
      <T>(path: string) =>
        requestJson(
          agent,
          `${ready.url}/api/v1/accounts/${ready.accountId}/${path}`,
          ready.adminToken,
          "GET",
        ) as Promise<T>,
      concurrency,
    );
  } finally {
    agent.destroy();
  }
}

async function readWith(get: <T>(path: string) => Promise<T>, concurrency: number): Promise<AccountContents> {
  // `ContactsController#index`: 15 a page, each with its contact inboxes.
  type ContactRow = {
    id: number;
    name: string | null;
    email: string | null;
    custom_attributes?: Record<string, unknown>;
    contact_inboxes?: unknown[];
  };
  const contactRows: ContactRow[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await get<{ meta: { count: number }; payload: ContactRow[] }>(`contacts?page=${page}`);
    contactRows.push(...answer.payload);
    if (answer.payload.length === 0 || contactRows.length >= answer.meta.count) break;
  }
  const contacts: Array<AccountContents["contacts"][number]> = [];
  await forEachConcurrently(contactRows.length, concurrency, async (index) => {
    const row = contactRows[index]!;
    const labels = await get<{ payload: string[] }>(`contacts/${row.id}/labels`);
    contacts.push({
      id: row.id,
      name: row.name,
      email: row.email,
      customAttributes: row.custom_attributes ?? {},
      labels: labels.payload,
      contactInboxes: row.contact_inboxes?.length ?? 0,
    });
  });

  // `ConversationsController#index` with every status and assignee: 25 a page.
  type ConversationRow = {
    id: number;
    status: string;
    priority: string | null;
    labels: string[];
    meta: { sender: { id: number } };
  };
  const conversationRows: ConversationRow[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await get<{ data: { meta: { all_count: number }; payload: ConversationRow[] } }>(
      `conversations?status=all&assignee_type=all&page=${page}`,
    );
    conversationRows.push(...answer.data.payload);
    if (answer.data.payload.length === 0 || conversationRows.length >= answer.data.meta.all_count) break;
  }
  const conversations: Array<AccountContents["conversations"][number]> = [];
  await forEachConcurrently(conversationRows.length, concurrency, async (index) => {
    const row = conversationRows[index]!;
    type MessageRow = { id: number; content: string | null; message_type: number; private: boolean };
    // The latest 20 a page; older ones with `before` (`MessageFinder`).
    const messages: MessageRow[] = [];
    for (let before: number | undefined; ;) {
      const answer = await get<{ payload: MessageRow[] }>(
        `conversations/${row.id}/messages${before === undefined ? "" : `?before=${before}`}`,
      );
      messages.unshift(...answer.payload);
      if (answer.payload.length < 20) break;
      before = answer.payload[0]!.id;
    }
    conversations.push({
      id: row.id,
      contactId: row.meta.sender.id,
      status: row.status,
      priority: row.priority,
      labels: row.labels,
      messages: messages
        .filter((message) => SEEDED_MESSAGE_TYPES.has(message.message_type))
        .map((message) => ({
          content: message.content,
          messageType: message.message_type,
          private: message.private,
        })),
    });
  });
  return { contacts, conversations };
}
