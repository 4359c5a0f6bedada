import type { DomainEvent } from "../webhooks/events";
import type { ChangedAttributes } from "../webhooks/payloads";
import { internalServerError, recordInvalid } from "../errors";
import { isPlainObject, isPresent, permittedScalar, rubyToI, type JsonObject } from "../http/rubyish";
import type { Store } from "../store/store";
import { uuid } from "../store/store";
import type {
  Account,
  ContactInbox,
  Conversation,
  ConversationStatus,
  JsonMap,
  Priority,
} from "../store/types";
import type { Actor } from "./actor";
import { createActivityMessage, priorityActivity, STATUS_ACTIVITY, SYSTEM_REOPENED } from "./activity";
import { autoAssignmentCandidates, findOnlineAssignee, needsAutoAssignment } from "./autoAssignment";
import { addedTags } from "./tags";
import { checkJsonbAttributes, ValidationErrors } from "./validation";
import { isoTime, isoTimeOrNull } from "../views/time";

export const CONVERSATION_STATUSES: readonly ConversationStatus[] = [
  "open",
  "resolved",
  "pending",
  "snoozed",
];
export const PRIORITIES: readonly Priority[] = ["low", "medium", "high", "urgent"];

/** What the conversation domain needs from the surrounding request. */
export interface DomainContext {
  store: Store;
  account: Account;
  messagesPerMinuteLimit: number;
  /** Queue work for "right after the response" (Chatwoot's background jobs). */
  defer(job: () => void): void;
  /** Reports a change after the response, as Chatwoot's models dispatch events after commit. */
  emit(event: DomainEvent): void;
}

/** Rails enum assignment: a known name (or its integer) or an ArgumentError, which Chatwoot answers with 500. */
export function castStatus(value: unknown): ConversationStatus {
  if (typeof value === "string" && (CONVERSATION_STATUSES as readonly string[]).includes(value)) {
    return value as ConversationStatus;
  }
  if (typeof value === "number" && Number.isInteger(value) && CONVERSATION_STATUSES[value] !== undefined) {
    return CONVERSATION_STATUSES[value] as ConversationStatus;
  }
  throw internalServerError();
}

/** Priority assignment: blank clears it, an unknown name raises (500). */
export function castPriority(value: unknown): Priority | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "string" && (PRIORITIES as readonly string[]).includes(value))
    return value as Priority;
  if (typeof value === "number" && Number.isInteger(value) && PRIORITIES[value] !== undefined) {
    return PRIORITIES[value] as Priority;
  }
  throw internalServerError();
}

/** An integer foreign-key column fed from a request value (`"12"` → 12, `""` → nil). */
export function castIntegerColumn(value: unknown): number | null {
  const scalar = permittedScalar(value);
  if (scalar === undefined || scalar === null || scalar === "") return null;
  if (typeof scalar === "string" && scalar.trim() === "") return null;
  if (scalar === true) return 1;
  if (scalar === false) return 0;
  return rubyToI(scalar);
}

/** A datetime column fed from a request value: parseable strings become times, anything else nil. */
export function castDateTime(value: unknown): number | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

export interface ConversationChanges {
  status?: ConversationStatus;
  snoozedUntilMs?: number | null;
  priority?: Priority | null;
  labels?: string[];
  assigneeId?: number | null;
  assigneeAgentBotId?: number | null;
  teamId?: number | null;
  customAttributes?: JsonMap;
  firstReplyCreatedAtMs?: number | null;
  waitingSinceMs?: number | null;
  agentLastSeenAtMs?: number | null;
  assigneeLastSeenAtMs?: number | null;
}

export interface UpdateOptions {
  /** The status change was made "by the contact" (an incoming message reopening the conversation). */
  reopenedByContact?: boolean;
}

/**
 * `ensure_assignee_is_from_team`: an assignee outside the newly set team is dropped, and an
 * unassigned conversation gets an online team member when the team allows auto-assignment.
 */
function ensureAssigneeFromTeam(account: Account, conversation: Conversation): void {
  if (conversation.teamId === null) return;
  const team = account.teams.get(conversation.teamId);
  if (!team) return;
  if (conversation.assigneeId === null || !team.memberIds.has(conversation.assigneeId))
    conversation.assigneeId = null;
  if (conversation.assigneeId === null && team.allowAutoAssign) {
    const candidates = [...conversation.inbox.memberIds].filter((userId) => team.memberIds.has(userId));
    conversation.assigneeId = findOnlineAssignee(account, conversation.inbox, candidates);
  }
}

/** `run_auto_assignment` after a save that opened the conversation. */
function runAutoAssignment(dctx: DomainContext, conversation: Conversation, actor: Actor | null): void {
  if (!needsAutoAssignment(conversation)) return;
  const candidates = autoAssignmentCandidates(dctx.account, conversation);
  const assigneeId = findOnlineAssignee(dctx.account, conversation.inbox, candidates);
  if (assigneeId !== null) updateConversation(dctx, conversation, { assigneeId }, actor);
}

function isSelfAssignment(actor: Actor | null, assigneeId: number | null): boolean {
  if (assigneeId === null || actor === null) return false;
  const actorId = actor.user?.id ?? actor.bot?.id ?? null;
  return actorId === assigneeId;
}

function assignmentActivity(
  dctx: DomainContext,
  conversation: Conversation,
  actor: Actor | null,
  before: { teamId: number | null; assigneeId: number | null },
): string | null {
  if (actor === null) return null;
  const teamChanged = before.teamId !== conversation.teamId;
  const assigneeChanged = before.assigneeId !== conversation.assigneeId;
  const assignee =
    conversation.assigneeId !== null ? dctx.store.users.get(conversation.assigneeId) : undefined;
  if (teamChanged) {
    const team = conversation.teamId !== null ? dctx.account.teams.get(conversation.teamId) : undefined;
    if (!team) {
      const previous = before.teamId !== null ? dctx.account.teams.get(before.teamId) : undefined;
      return `Unassigned from ${previous?.name ?? ""} by ${actor.name}`;
    }
    if (assigneeChanged && assignee) return `Assigned to ${assignee.name} via ${team.name} by ${actor.name}`;
    return `Assigned to ${team.name} by ${actor.name}`;
  }
  if (!assigneeChanged) return null;
  if (isSelfAssignment(actor, conversation.assigneeId))
    return `${actor.name} self-assigned this conversation`;
  if (conversation.assigneeId !== null) return `Assigned to ${assignee?.name ?? ""} by ${actor.name}`;
  return `Conversation unassigned by ${actor.name}`;
}

/**
 * Saves changes to a conversation with the model callbacks that matter to API clients: snooze reset,
 * waiting-since clearing, team/assignee consistency, then (after the response) the activity
 * messages in Chatwoot's callback order — status, priority, labels, then assignment.
 */
export function updateConversation(
  dctx: DomainContext,
  conversation: Conversation,
  changes: ConversationChanges,
  actor: Actor | null,
  options: UpdateOptions = {},
): void {
  const before = {
    status: conversation.status,
    priority: conversation.priority,
    labels: conversation.labels,
    teamId: conversation.teamId,
    assigneeId: conversation.assigneeId,
  };
  const columnsBefore = trackedColumns(conversation);
  const updatedAtBeforeMs = conversation.updatedAtMs;
  Object.assign(conversation, changes);
  if (changes.teamId !== undefined && changes.teamId !== before.teamId)
    ensureAssigneeFromTeam(dctx.account, conversation);
  if (conversation.assigneeId !== null) conversation.assigneeAgentBotId = null;
  if (conversation.status !== "snoozed") conversation.snoozedUntilMs = null;
  conversation.updatedAtMs = Date.now();
  const statusChanged = before.status !== conversation.status;
  if (statusChanged && conversation.status === "resolved") conversation.waitingSinceMs = null;

  const activities: string[] = [];
  if (statusChanged) {
    if (options.reopenedByContact) activities.push(SYSTEM_REOPENED);
    else if (actor) activities.push(STATUS_ACTIVITY[conversation.status](actor.name));
  }
  if (actor && before.priority !== conversation.priority) {
    const content = priorityActivity(actor.name, before.priority, conversation.priority);
    if (content) activities.push(content);
  }
  if (actor) {
    const added = addedTags(before.labels, conversation.labels);
    const removed = addedTags(conversation.labels, before.labels);
    if (added.length > 0) activities.push(`${actor.name} added ${added.join(", ")}`);
    if (removed.length > 0) activities.push(`${actor.name} removed ${removed.join(", ")}`);
  }
  const assignment = assignmentActivity(dctx, conversation, actor, before);
  if (assignment) activities.push(assignment);
  deferActivities(dctx, conversation, activities);
  emitUpdateEvents(dctx, conversation, columnsBefore, statusChanged, updatedAtBeforeMs);
  if (statusChanged && conversation.status === "open") runAutoAssignment(dctx, conversation, actor);
}

/**
 * The columns whose change makes `Conversation#notify_conversation_updation` dispatch
 * `conversation.updated` (`list_of_keys`), as they appear in `previous_changes`: enums as their
 * names, times as ActiveSupport JSON, `label_list` as acts-as-taggable-on's dirty list.
 */
export function trackedColumns(conversation: Conversation): Record<string, unknown> {
  return {
    status: conversation.status,
    priority: conversation.priority,
    label_list: [...conversation.labels],
    team_id: conversation.teamId,
    assignee_id: conversation.assigneeId,
    assignee_agent_bot_id: conversation.assigneeAgentBotId,
    snoozed_until: isoTimeOrNull(conversation.snoozedUntilMs),
    custom_attributes: conversation.customAttributes,
    waiting_since: isoTimeOrNull(conversation.waitingSinceMs),
    first_reply_created_at: isoTimeOrNull(conversation.firstReplyCreatedAtMs),
  };
}

/**
 * `execute_after_update_commit_callbacks`: `conversation_status_changed` when the status changed
 * (its `changed_attributes` come from `status_change`, which Rails has already cleared after the
 * commit, so they are null), then `conversation_updated` with every changed column, `updated_at`
 * included, when one of `list_of_keys` changed.
 */
export function emitUpdateEvents(
  dctx: DomainContext,
  conversation: Conversation,
  columnsBefore: Record<string, unknown>,
  statusChanged: boolean,
  updatedAtBeforeMs: number,
): void {
  if (statusChanged)
    dctx.emit({ name: "conversation_status_changed", conversation, changedAttributes: null });
  const after = trackedColumns(conversation);
  const changed: ChangedAttributes = [];
  for (const [key, value] of Object.entries(after)) {
    const previous = columnsBefore[key];
    if (JSON.stringify(previous) !== JSON.stringify(value)) {
      changed.push({ [key]: { previous_value: previous, current_value: value } });
    }
  }
  if (changed.length === 0) return;
  changed.push({
    updated_at: {
      previous_value: isoTime(updatedAtBeforeMs),
      current_value: isoTime(conversation.updatedAtMs),
    },
  });
  dctx.emit({ name: "conversation_updated", conversation, changedAttributes: changed });
}

export function deferActivities(dctx: DomainContext, conversation: Conversation, activities: string[]): void {
  for (const content of activities) {
    dctx.defer(() => {
      createActivityMessage(dctx.store, conversation, content, dctx.messagesPerMinuteLimit);
    });
  }
}

/** `params[:additional_attributes]&.permit!`: a hash, nothing, or an exception (500) for other types. */
function attributesHash(value: unknown): JsonMap {
  if (value === undefined || value === null) return {};
  if (isPlainObject(value)) return value;
  throw internalServerError();
}

/**
 * `ConversationBuilder#perform`: a new conversation on the contact inbox, or the latest one when the
 * inbox is locked to a single conversation. The display id comes from the account's sequence.
 */
export function createConversation(
  dctx: DomainContext,
  contactInbox: ContactInbox,
  params: JsonObject,
  actor: Actor | null,
): Conversation {
  if (contactInbox.inbox.lockToSingleConversation) {
    const existing = latestConversationOf(contactInbox);
    if (existing) return existing;
  }
  const additionalAttributes = attributesHash(params.additional_attributes);
  const customAttributes = attributesHash(params.custom_attributes);
  const status: ConversationStatus = isPresent(params.status) ? castStatus(params.status) : "open";

  const errors = new ValidationErrors();
  checkJsonbAttributes(errors, "additional_attributes", additionalAttributes);
  checkJsonbAttributes(errors, "custom_attributes", customAttributes);
  if (!errors.empty) throw recordInvalid(errors);

  const { account, store } = dctx;
  const now = Date.now();
  const contact = contactInbox.contact;
  const conversation: Conversation = {
    id: store.nextId("conversations"),
    displayId: account.nextDisplayId,
    accountId: account.id,
    uuid: uuid(),
    inbox: contactInbox.inbox,
    contact,
    contactInbox,
    status: contact.blocked ? "resolved" : status,
    priority: null,
    assigneeId: castIntegerColumn(params.assignee_id),
    assigneeAgentBotId: null,
    teamId: castIntegerColumn(params.team_id),
    additionalAttributes,
    customAttributes,
    labels: [],
    snoozedUntilMs: castDateTime(params.snoozed_until),
    createdAtMs: now,
    updatedAtMs: now,
    lastActivityAtMs: now,
    agentLastSeenAtMs: null,
    assigneeLastSeenAtMs: null,
    contactLastSeenAtMs: null,
    firstReplyCreatedAtMs: null,
    waitingSinceMs: now,
    messages: [],
    messagesById: new Map(),
    deleted: false,
  };
  account.nextDisplayId += 1;
  ensureAssigneeFromTeam(account, conversation);
  if (conversation.status !== "snoozed") conversation.snoozedUntilMs = null;
  account.conversations.set(conversation.displayId, conversation);
  contact.conversations.push(conversation);

  const activity = assignmentActivity(dctx, conversation, actor, { teamId: null, assigneeId: null });
  if (activity) deferActivities(dctx, conversation, [activity]);
  runAutoAssignment(dctx, conversation, actor);
  // `after_create_commit :notify_conversation_creation`.
  dctx.emit({ name: "conversation_created", conversation });
  return conversation;
}

function latestConversationOf(contactInbox: ContactInbox): Conversation | undefined {
  let latest: Conversation | undefined;
  for (const conversation of contactInbox.contact.conversations) {
    if (conversation.contactInbox !== contactInbox || conversation.deleted) continue;
    if (!latest || conversation.id > latest.id) latest = conversation;
  }
  return latest;
}
