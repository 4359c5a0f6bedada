/**
 * Reads back what a Chatwoot (here: the emulator) holds, through its Application API, in the
 * shape the example tests compare against their expectations.
 */

export interface HeldContact {
  readonly id: number;
  readonly name: string;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly identifier: string | null;
  readonly customAttributes: Record<string, unknown>;
  readonly additionalAttributes: Record<string, unknown>;
  readonly labels: string[];
  /** Its contact inboxes, as `<inbox id>:<source id>`. */
  readonly sessions: string[];
}

export interface HeldMessage {
  readonly content: string;
  readonly messageType: "incoming" | "outgoing";
  readonly private: boolean;
}

export interface HeldConversation {
  readonly id: number;
  readonly contactId: number;
  readonly inboxId: number;
  readonly sourceId: string;
  readonly status: string;
  readonly priority: string | null;
  readonly labels: string[];
  readonly assigneeId: number | null;
  readonly teamId: number | null;
  readonly snoozedUntil: string | null;
  /** Incoming and outgoing messages (private notes included), oldest first; activity messages left out. */
  readonly messages: HeldMessage[];
}

const MESSAGE_TYPES: Record<number, HeldMessage["messageType"] | "activity" | "template"> = {
  0: "incoming",
  1: "outgoing",
  2: "activity",
  3: "template",
};

export class ChatwootReader {
  constructor(
    private readonly url: string,
    private readonly accountId: number,
    private readonly token: string,
  ) {}

  /** Every contact of the account, whatever the page size. */
  async contacts(): Promise<HeldContact[]> {
    const contacts: HeldContact[] = [];
    for (let page = 1; ; page += 1) {
      const { payload } = await this.get<{ payload: ContactJson[] }>(`contacts?page=${page}`);
      if (payload.length === 0) return contacts;
      for (const contact of payload) contacts.push(await this.heldContact(contact));
    }
  }

  /** The contact, or `undefined` once it is gone. */
  async contact(id: number): Promise<HeldContact | undefined> {
    const found = await this.getOrMissing<{ payload: ContactJson }>(`contacts/${id}`);
    return found === undefined ? undefined : this.heldContact(found.payload);
  }

  /** The conversation by display id, or `undefined` once it is gone. */
  async conversation(id: number): Promise<HeldConversation | undefined> {
    const conversation = await this.getOrMissing<ConversationJson>(`conversations/${id}`);
    if (conversation === undefined) return undefined;
    const { payload } = await this.get<{ payload: MessageJson[] }>(`conversations/${id}/messages?after=0`);
    return {
      id: conversation.id,
      contactId: conversation.meta.sender.id,
      inboxId: conversation.inbox_id,
      // The conversation view names its contact inbox only inside its latest message.
      sourceId: conversation.messages[0]?.conversation.contact_inbox.source_id ?? "",
      status: conversation.status,
      priority: conversation.priority ?? null,
      labels: [...conversation.labels].sort(),
      assigneeId: conversation.meta.assignee?.id ?? null,
      teamId: conversation.meta.team?.id ?? null,
      snoozedUntil: conversation.snoozed_until ?? null,
      messages: payload
        .filter((message) => message.message_type === 0 || message.message_type === 1)
        .map((message) => ({
          content: message.content,
          messageType: MESSAGE_TYPES[message.message_type] as HeldMessage["messageType"],
          private: message.private,
        })),
    };
  }

  private async heldContact(contact: ContactJson): Promise<HeldContact> {
    const { payload: labels } = await this.get<{ payload: string[] }>(`contacts/${contact.id}/labels`);
    return {
      id: contact.id,
      name: contact.name,
      email: contact.email,
      phoneNumber: contact.phone_number,
      identifier: contact.identifier,
      customAttributes: contact.custom_attributes,
      additionalAttributes: contact.additional_attributes,
      labels: [...labels].sort(),
      sessions: (contact.contact_inboxes ?? [])
        .map((session) => `${session.inbox.id}:${session.source_id}`)
        .sort(),
    };
  }

  async get<T>(route: string): Promise<T> {
    const found = await this.getOrMissing<T>(route);
    if (found === undefined) throw new Error(`GET ${route} answered 404`);
    return found;
  }

  private async getOrMissing<T>(route: string): Promise<T | undefined> {
    const response = await fetch(`${this.url}/api/v1/accounts/${this.accountId}/${route}`, {
      headers: { api_access_token: this.token, accept: "application/json" },
    });
    const text = await response.text();
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET ${route} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}

interface ContactJson {
  id: number;
  name: string;
  email: string | null;
  phone_number: string | null;
  identifier: string | null;
  custom_attributes: Record<string, unknown>;
  additional_attributes: Record<string, unknown>;
  contact_inboxes?: Array<{ source_id: string; inbox: { id: number } }>;
}

interface ConversationJson {
  id: number;
  inbox_id: number;
  status: string;
  priority?: string | null;
  labels: string[];
  snoozed_until?: string | null;
  messages: Array<{ conversation: { contact_inbox: { source_id: string } } }>;
  meta: { sender: { id: number }; assignee?: { id: number } | null; team?: { id: number } | null };
}

interface MessageJson {
  content: string;
  message_type: number;
  private: boolean;
}
