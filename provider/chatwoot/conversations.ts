import type { ChatwootClient } from "../client/client";
import { ChatwootApiError, isNotFound } from "../client/errors";
import { accountPath } from "./paths";
import {
  ConversationJson,
  MessageJson,
  conversationListSchema,
  conversationSchema,
  customAttributesSchema,
  statusAnswerSchema,
  labelListSchema,
  messageListSchema,
  messageSchema,
} from "./schemas";

export interface ConversationCreateBody {
  inbox_id: number;
  contact_id: number;
  source_id?: string;
  additional_attributes?: Record<string, unknown>;
  custom_attributes?: Record<string, unknown>;
}

export interface MessageCreateBody {
  content: string;
  message_type: "incoming" | "outgoing";
  private: boolean;
  content_type?: string;
  content_attributes?: Record<string, unknown>;
  source_id: string;
}

/** Messages Chatwoot answers a page when asked for those `after` an id (`MessageFinder#messages_after`). */
const MESSAGES_AFTER_PAGE_SIZE = 100;

/** Conversation and message routes (chatwoot config/routes.rb); `conversationId` is the display id. */
export class ConversationsApi {
  constructor(
    private readonly client: ChatwootClientLike,
    private readonly accountId: number,
  ) {}

  async find(conversationId: number): Promise<ConversationJson | undefined> {
    try {
      return await this.client.request({
        method: "GET",
        path: this.path(conversationId),
        schema: conversationSchema,
      });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Creates a conversation; never repeated blindly (every call makes a new one). */
  async create(body: ConversationCreateBody): Promise<ConversationJson> {
    return this.client.request({
      method: "POST",
      path: accountPath(this.accountId, "conversations"),
      body,
      schema: conversationSchema,
    });
  }

  /** The contact's newest conversations (Chatwoot returns up to 20, newest activity first). */
  async ofContact(contactId: number): Promise<ConversationJson[]> {
    const answer = await this.client.request({
      method: "GET",
      path: accountPath(this.accountId, "contacts", contactId, "conversations"),
      schema: conversationListSchema,
    });
    return answer.payload;
  }

  /** Sets the status; answers the status and snooze time Chatwoot holds afterwards. */
  async setStatus(
    conversationId: number,
    status: string,
    snoozedUntil: number | undefined,
  ): Promise<{ status: string; snoozedUntil: string | number | null }> {
    const answer = await this.client.request({
      method: "POST",
      path: this.path(conversationId, "toggle_status"),
      body: { status, ...(snoozedUntil === undefined ? {} : { snoozed_until: snoozedUntil }) },
      schema: statusAnswerSchema,
      // An explicit status (never the bare toggle) lands on the same state however often it is sent.
      idempotent: true,
    });
    return { status: answer.payload.current_status, snoozedUntil: answer.payload.snoozed_until ?? null };
  }

  async setPriority(conversationId: number, priority: string | null): Promise<void> {
    await this.client.request({
      method: "POST",
      path: this.path(conversationId, "toggle_priority"),
      body: { priority },
      schema: null,
      idempotent: true,
    });
  }

  async setLabels(conversationId: number, labels: readonly string[]): Promise<string[]> {
    const answer = await this.client.request({
      method: "POST",
      path: this.path(conversationId, "labels"),
      body: { labels },
      schema: labelListSchema,
      // The list replaces the labels wholesale.
      idempotent: true,
    });
    return answer.payload;
  }

  /** Replaces the custom attributes; answers them as Chatwoot holds them afterwards. */
  async setCustomAttributes(
    conversationId: number,
    attributes: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const answer = await this.client.request({
      method: "POST",
      path: this.path(conversationId, "custom_attributes"),
      body: { custom_attributes: attributes },
      schema: customAttributesSchema,
      // The object replaces the stored one wholesale.
      idempotent: true,
    });
    return answer.custom_attributes ?? {};
  }

  /** Assigns an agent (`null` unassigns) or a team (`null` clears it). */
  async assign(
    conversationId: number,
    assignment: { assignee_id: number | null } | { team_id: number | null },
  ) {
    // `team_id: null` clears the team: Chatwoot tests `params.key?(:team_id)` and then sets
    // `teams.find_by(id: nil)`, i.e. no team (chatwoot
    // app/controllers/api/v1/accounts/conversations/assignments_controller.rb, `set_team`).
    await this.client.request({
      method: "POST",
      path: this.path(conversationId, "assignments"),
      body: assignment,
      schema: null,
      idempotent: true,
    });
  }

  /**
   * Deletes a conversation (administrators only; Chatwoot finishes it in the background).
   * Answers whether it existed.
   */
  async delete(conversationId: number): Promise<"deleted" | "gone" | "route-missing"> {
    try {
      await this.client.request({ method: "DELETE", path: this.path(conversationId), schema: null });
      return "deleted";
    } catch (error) {
      if (!isNotFound(error)) throw error;
      // Chatwoot before 4.3.0 has no delete route (config/routes.rb) and also answers 404: tell the two apart.
      return (await this.find(conversationId)) === undefined ? "gone" : "route-missing";
    }
  }

  /**
   * Every message of the conversation, oldest first (activity messages included). Read forward
   * from the start with `after`, which Chatwoot answers 100 at a time in every 4.x release
   * (chatwoot `app/finders/message_finder.rb`, `messages_after`), so a conversation of fewer than
   * 100 messages takes one request; a full page means there may be more.
   */
  async allMessages(conversationId: number): Promise<MessageJson[]> {
    const byId = new Map<number, MessageJson>();
    for (let after = 0; ;) {
      const answer = await this.client.request({
        method: "GET",
        path: this.path(conversationId, "messages"),
        query: { after },
        schema: messageListSchema,
      });
      for (const message of answer.payload) byId.set(message.id, message);
      const newest = Math.max(after, ...answer.payload.map((message) => message.id));
      // A short page is the last; so is one that brings nothing newer (a guard against looping).
      if (answer.payload.length < MESSAGES_AFTER_PAGE_SIZE || newest === after) break;
      after = newest;
    }
    return [...byId.values()].sort((a, b) => a.id - b.id);
  }

  /** Posts a message; not idempotent, so callers look it up by its source id before repeating. */
  async postMessage(conversationId: number, body: MessageCreateBody): Promise<MessageJson> {
    return this.client.request({
      method: "POST",
      path: this.path(conversationId, "messages"),
      body,
      schema: messageSchema,
    });
  }

  private path(conversationId: number, ...rest: string[]): string {
    return accountPath(this.accountId, "conversations", conversationId, ...rest);
  }
}

type ChatwootClientLike = Pick<ChatwootClient, "request">;

/** Chatwoot's per-conversation message rate limit (200 a minute) answers 422 "Too many messages". */
export function isMessageRateLimited(error: unknown): boolean {
  return (
    error instanceof ChatwootApiError &&
    error.status === 422 &&
    /too many messages/i.test(error.chatwootMessage)
  );
}
