import { labelsAsSet } from "../../validation/rules";
import type { ConversationsApi } from "../../chatwoot/conversations";
import type { ConversationJson, MessageJson } from "../../chatwoot/schemas";
import {
  DeclaredMessage,
  duplicateSeededMessages,
  seedMessageAsDeclared,
  seedMessageFrom,
  seededMessages,
} from "./messages";
import { ConversationOutputs, PRIORITIES, SEED_MARKER_KEY, STATUSES, toIsoSeconds } from "./spec";

/** A conversation as Chatwoot holds it now, with all of its messages. */
export interface LiveConversation {
  readonly conversation: ConversationJson;
  readonly messages: MessageJson[];
}

export async function readLiveConversation(
  api: ConversationsApi,
  conversationId: number,
): Promise<LiveConversation | undefined> {
  const conversation = await api.find(conversationId);
  if (conversation === undefined) return undefined;
  return { conversation, messages: await api.allMessages(conversationId) };
}

export interface OutputContext {
  readonly accountId: number;
  readonly baseUrl: URL;
  readonly seedId: string;
  readonly sourceId: string | undefined;
  /** Additional-attribute keys the program manages (Chatwoot may hold more). */
  readonly managedAdditionalKeys: readonly string[];
  /** The seeded messages as declared, by position, with what Chatwoot stored for each. */
  readonly declaredMessages: readonly DeclaredMessage[];
}

/** The resource's outputs for a live conversation: every managed field as Chatwoot stores it. */
export function conversationOutputs(live: LiveConversation, context: OutputContext): ConversationOutputs {
  const { conversation } = live;
  const firstCopies = seededMessages(context.seedId, live.messages);
  const seeded = [...firstCopies.entries()].sort(([a], [b]) => a - b);
  const duplicates = duplicateSeededMessages(context.seedId, live.messages, firstCopies);
  const posted = [...contiguous(seeded).map(([, message]) => message), ...duplicates];
  const outputs: ConversationOutputs = {
    accountId: context.accountId,
    inboxId: conversation.inbox_id,
    contactId: conversation.meta?.sender?.id ?? 0,
    conversationId: conversation.id,
    uuid: conversation.uuid ?? "",
    url: dashboardUrl(context.baseUrl, context.accountId, conversation.id),
    seedId: context.seedId,
    status: (STATUSES as readonly string[]).includes(conversation.status)
      ? (conversation.status as ConversationOutputs["status"])
      : "open",
    labels: labelsAsSet(conversation.labels ?? []),
    customAttributes: { ...(conversation.custom_attributes ?? {}) },
    additionalAttributes: managedAdditional(conversation, context.managedAdditionalKeys),
    // Only an unbroken run from the first seeded message counts as the posted transcript. A seeded
    // message Chatwoot holds twice follows it, so the transcript no longer matches the program's:
    // drift, which the next `up` mends by replacing the conversation (Chatwoot cannot remove a
    // message, app/controllers/api/v1/accounts/conversations/messages_controller.rb `destroy`).
    messages: [
      ...contiguous(seeded).map(([index, message]) =>
        seedMessageAsDeclared(message, context.declaredMessages[index]),
      ),
      ...duplicates.map(seedMessageFrom),
    ],
    messageIds: posted.map((message) => message.id),
    messageContents: posted.map((message) => message.content ?? ""),
  };
  if (context.sourceId !== undefined) outputs.sourceId = context.sourceId;
  if (conversation.status === "snoozed" && conversation.snoozed_until) {
    outputs.snoozedUntil = toIsoSeconds(snoozeTime(conversation.snoozed_until));
  }
  const priority = PRIORITIES.find((known) => known === conversation.priority);
  if (priority !== undefined) outputs.priority = priority;
  const assigneeId = userAssigneeId(conversation);
  if (assigneeId !== undefined) outputs.assigneeId = assigneeId;
  if (conversation.meta?.team) outputs.teamId = conversation.meta.team.id;
  return outputs;
}

/**
 * The assigned user's id. Users and agent bots have separate id sequences, so an agent bot with
 * the program's user id must count as a different assignee (`meta.assignee_type` tells them apart).
 */
export function userAssigneeId(conversation: ConversationJson): number | undefined {
  const assignee = conversation.meta?.assignee;
  if (!assignee || (conversation.meta?.assignee_type ?? "User") !== "User") return undefined;
  return assignee.id;
}

export function dashboardUrl(baseUrl: URL, accountId: number, conversationId: number): string {
  const base = baseUrl.toString().replace(/\/+$/, "");
  return `${base}/app/accounts/${accountId}/conversations/${conversationId}`;
}

function managedAdditional(conversation: ConversationJson, keys: readonly string[]): Record<string, unknown> {
  const additional = conversation.additional_attributes ?? {};
  const managed: Record<string, unknown> = {};
  for (const key of keys) {
    if (key !== SEED_MARKER_KEY && additional[key] !== undefined && additional[key] !== null) {
      managed[key] = additional[key];
    }
  }
  return managed;
}

function contiguous<T>(entries: Array<[number, T]>): Array<[number, T]> {
  const run: Array<[number, T]> = [];
  for (const entry of entries) {
    if (entry[0] !== run.length) break;
    run.push(entry);
  }
  return run;
}

/** Chatwoot's `snoozed_until` in milliseconds: ISO text, or a number read as epoch seconds. */
export function snoozeTime(value: string | number): number {
  return typeof value === "number" ? value * 1000 : Date.parse(value);
}

/** The marker a conversation carries, if the provider made it. */
export function seedIdOf(conversation: ConversationJson): string | undefined {
  const marker = conversation.additional_attributes?.[SEED_MARKER_KEY];
  return typeof marker === "string" ? marker : undefined;
}
