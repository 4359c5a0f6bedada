import { labelsAsSet } from "../../validation/rules";
import { randomUUID } from "node:crypto";
import { ChatwootApiError } from "../../client/errors";
import { ContactsApi } from "../../chatwoot/contacts";
import { ConversationsApi, isMessageRateLimited } from "../../chatwoot/conversations";
import { InboxesApi, generatesRandomSourceIds, sourceIdNeededReason } from "../../chatwoot/inboxes";
import type { ConversationJson, MessageJson } from "../../chatwoot/schemas";
import { Connection, connect } from "../../dynamic/context";
import type { Implementation } from "../../dynamic/implementation";
import { CheckFailure, checkFields } from "../../validation/check";
import { absent, applyDefaultAccount } from "../account";
import { createExactlyOnce } from "../createOnce";
import { deepEqual } from "../equality";
import { PartialCreateError, ProviderError, deleteFailure, failure } from "../errors";
import { diffFields } from "../fields";
import { InboxChannel, inboxChannel } from "../inboxChannels";
import { sessionOwner } from "../sessionGuard";
import { warn } from "../../dynamic/log";
import { emailWarning, emailedMessageIndexes, emailsContact } from "./emailContinuity";
import {
  LiveConversation,
  OutputContext,
  conversationOutputs,
  readLiveConversation,
  seedIdOf,
  snoozeTime,
  userAssigneeId,
} from "./live";
import { DeclaredMessage, compareTranscripts, messageSourceId, seededMessages } from "./messages";
import { refuseWhatTheReleaseCannotHold } from "./releaseNeeds";
import {
  ConversationInputs,
  ConversationOutputs,
  SEED_MARKER_KEY,
  SeedMessage,
  conversationFieldSchemas,
  conversationFields,
} from "./spec";

/** Inputs after `check`: the required fields are present. */
type CheckedInputs = ConversationInputs & { inboxId: number; contactId: number; messages: SeedMessage[] };

const { messages: _transcript, ...fieldsWithoutMessages } = conversationFields;

export const conversationImplementation: Implementation = {
  async check(_olds, news) {
    const { inputs, failures } = checkFields("Conversation", news, conversationFieldSchemas);
    return { inputs, failures: [...failures, ...crossFieldFailures(inputs, news)] };
  },

  async diff(_id, olds, news) {
    const { changed, replaces } = diffFields(fieldsWithoutMessages, olds, news);
    const transcript = compareTranscripts((olds.messages as SeedMessage[] | undefined) ?? [], news.messages);
    if (transcript !== "same") changed.push("messages");
    if (transcript === "replace") replaces.push("messages");
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(raw) {
    const inputs = raw as unknown as CheckedInputs;
    const connection = connect(inputs.accountId);
    const api = new ConversationsApi(connection.client, connection.accountId);
    const what = `Creating a conversation of contact ${inputs.contactId} in inbox ${inputs.inboxId}`;
    const seedId = randomUUID();
    let sourceId: string | undefined;
    let conversation: ConversationJson;
    let outcomeUnknown: boolean;
    let inbox: InboxChannel;
    try {
      inbox = await inboxChannel(connection, inputs.inboxId);
      refuseIncomingOutsideApiInboxes(inbox, inputs.messages);
      await refuseWhatTheReleaseCannotHold(
        connection,
        inputs.messages,
        inputs.messages.map((_, index) => index),
      );
      sourceId = await resolveSourceId(connection, inputs, inbox);
      ({ conversation, outcomeUnknown } = await createConversation(
        api,
        connection,
        inputs,
        sourceId,
        seedId,
      ));
      refuseConversationNotMadeHere(conversation, seedId, inbox, sourceId);
    } catch (error) {
      throw failure(what, error);
    }
    const id = String(conversation.id);
    const context = outputContext(connection, inputs, seedId, sourceId);
    try {
      // A conversation this create made is known from its answer (the show action's partial),
      // and none of this resource's messages can exist yet: its seed marker is new.
      const start = { conversation, messages: [] };
      const live = await converge(connection, api, conversation.id, seedId, inputs, { start, inbox });
      if (outcomeUnknown) await removeLateTwins(api, inputs.contactId, seedId, conversation.id);
      return { id, outs: conversationOutputs(live, context) };
    } catch (error) {
      const known = await readLiveConversation(api, conversation.id).catch(() => undefined);
      const properties = conversationOutputs(known ?? { conversation, messages: [] }, context);
      throw new PartialCreateError(id, { ...properties }, error, `Conversation ${id} exists in Chatwoot`);
    }
  },

  async read(id, props) {
    const recorded = props as unknown as ConversationOutputs;
    const connection = connect(recorded.accountId);
    const api = new ConversationsApi(connection.client, connection.accountId);
    try {
      const live = await readLiveConversation(api, Number(id));
      // Gone: an empty id tells the engine to drop the resource, and the next `up` recreates it.
      if (live === undefined) return { id: "" };
      const outs = conversationOutputs(live, {
        accountId: connection.accountId,
        baseUrl: connection.settings.url,
        seedId: recorded.seedId,
        sourceId: recorded.sourceId,
        managedAdditionalKeys: Object.keys(recorded.additionalAttributes ?? {}),
        declaredMessages: recordedDeclarations(recorded),
      });
      return { id, props: { ...outs }, inputs: impliedInputs(outs) };
    } catch (error) {
      throw failure(`Reading conversation ${id}`, error);
    }
  },

  async update(id, olds, news) {
    const recorded = olds as unknown as ConversationOutputs;
    const inputs = news as unknown as CheckedInputs;
    const connection = connect(inputs.accountId ?? recorded.accountId);
    const api = new ConversationsApi(connection.client, connection.accountId);
    try {
      const live = await converge(connection, api, Number(id), recorded.seedId, inputs);
      return {
        outs: conversationOutputs(live, {
          ...outputContext(connection, inputs, recorded.seedId, recorded.sourceId),
          declaredMessages: inputs.messages.map((declared, index) => ({
            declared,
            storedContent: recorded.messageContents?.[index],
          })),
        }),
      };
    } catch (error) {
      throw failure(`Updating conversation ${id}`, error);
    }
  },

  async delete(id, props) {
    const recorded = props as unknown as ConversationOutputs;
    const connection = connect(recorded.accountId);
    try {
      const outcome = await new ConversationsApi(connection.client, connection.accountId).delete(Number(id));
      if (outcome === "route-missing") {
        throw new ProviderError(
          `Deleting conversation ${id}: this Chatwoot has no API route to delete conversations (it arrived in ` +
            `Chatwoot 4.3.0). Upgrade Chatwoot, delete it in the dashboard, or keep it with the ` +
            `\`retainOnDelete\` resource option.`,
        );
      }
    } catch (error) {
      throw deleteFailure("conversation", id, error);
    }
  },
};

/** Rules across fields; presence is judged on the raw inputs, so an invalid value is reported once. */
function crossFieldFailures(inputs: ConversationInputs, news: Record<string, unknown>): CheckFailure[] {
  const failures = applyDefaultAccount(inputs);
  if (absent(news.inboxId)) failures.push({ property: "inboxId", reason: "[inboxId] is required" });
  if (absent(news.contactId)) failures.push({ property: "contactId", reason: "[contactId] is required" });
  if (absent(news.messages)) {
    failures.push({
      property: "messages",
      reason: "[messages] is required: a seeded conversation needs a transcript",
    });
  }
  if (inputs.snoozedUntil !== undefined && inputs.status !== "snoozed") {
    failures.push({ property: "snoozedUntil", reason: '[snoozedUntil] needs [status] "snoozed"' });
  }
  return failures;
}

/** Chatwoot refuses incoming messages outside API inboxes; say so before writing anything. */
function refuseIncomingOutsideApiInboxes(inbox: InboxChannel, messages: readonly SeedMessage[]): void {
  if (inbox.channel_type === "Channel::Api") return;
  const index = messages.findIndex((message) => message.messageType === "incoming");
  if (index >= 0) {
    throw new ProviderError(
      `[messages.${index}.messageType] "incoming" is not possible in inbox ${inbox.id} (${inbox.channel_type}): ` +
        `Chatwoot answers "Incoming messages are only allowed in Api inboxes"`,
    );
  }
}

/**
 * In an inbox locked to a single conversation Chatwoot answers a create with the contact inbox's
 * latest conversation, whatever its status, and applies nothing that was sent (chatwoot
 * app/builders/conversation_builder.rb, `look_up_exising_conversation`). That conversation is not
 * this resource's (its seed marker differs or is absent): taking it over would rewrite, and a
 * later destroy delete, someone else's conversation. Nothing was written, so stop here.
 */
function refuseConversationNotMadeHere(
  conversation: ConversationJson,
  seedId: string,
  inbox: InboxChannel,
  sourceId: string | undefined,
): void {
  const marker = seedIdOf(conversation);
  if (marker === seedId) return;
  const whose =
    marker === undefined
      ? "was not made by pulumi-chatwoot"
      : `belongs to another Conversation resource (${SEED_MARKER_KEY} "${marker}"); a replacement counts ` +
        "as another resource here, because the old conversation stays the latest until it is deleted";
  const session = sourceId === undefined ? "the contact inbox's" : `contact inbox "${sourceId}"'s`;
  throw new ProviderError(
    `inbox ${inbox.id} is locked to a single conversation: Chatwoot answered ${session} existing ` +
      `conversation ${conversation.id} instead of creating one, and that conversation ${whose}. It was ` +
      `left untouched. Give this resource a [sourceId] that no conversation uses yet (its own contact ` +
      `inbox), or turn off "Lock to single conversation" on inbox ${inbox.id}.`,
  );
}

/**
 * The contact inbox the conversation goes into. Chatwoot would mint a new one for every create
 * without a source id, so the provider picks one itself: the given id (checked for clashes), else
 * the contact's existing session in the inbox, else a fresh UUID (API and website inboxes).
 */
async function resolveSourceId(
  connection: Connection,
  inputs: CheckedInputs,
  inbox: InboxChannel,
): Promise<string | undefined> {
  if (inputs.sourceId !== undefined) {
    // In API and website inboxes Chatwoot refuses another contact's source id itself, before it
    // makes anything (createConversation names the holder then). Elsewhere it would quietly rename
    // the other contact's session instead (chatwoot app/builders/contact_inbox_builder.rb,
    // `update_old_contact_inbox`), so look first.
    if (!generatesRandomSourceIds(inbox)) await refuseForeignSourceId(connection, inputs, inputs.sourceId);
    return inputs.sourceId;
  }
  const contact = await new ContactsApi(connection.client, connection.accountId).find(inputs.contactId);
  if (contact === undefined) {
    throw new ProviderError(
      `[contactId] contact ${inputs.contactId} does not exist in account ${connection.accountId}`,
    );
  }
  const session = contact.contact_inboxes?.find((candidate) => candidate.inbox?.id === inputs.inboxId);
  if (session !== undefined) return session.source_id;
  const reason = sourceIdNeededReason(inbox);
  if (reason !== undefined) throw new ProviderError(`[sourceId] is required: ${reason}`);
  return generatesRandomSourceIds(inbox) ? randomUUID() : undefined;
}

/** Fails, naming the holder, when another contact holds `sourceId` in the inbox. */
async function refuseForeignSourceId(
  connection: Connection,
  inputs: CheckedInputs,
  sourceId: string,
): Promise<void> {
  const owner = await sessionOwner(connection, inputs.inboxId, sourceId);
  if (owner !== undefined && owner !== inputs.contactId) {
    throw new ProviderError(
      `[sourceId] "${sourceId}" belongs to contact ${owner} in inbox ${inputs.inboxId}, not to ` +
        `contact ${inputs.contactId} (Chatwoot would answer "source_id should be unique")`,
    );
  }
}

/**
 * Chatwoot's refusal of a source id another contact holds in an API or website inbox: the
 * conversations controller's `contact_inbox` before-action answers `RecordNotUnique` from
 * `ContactInboxBuilder` with 422 "source_id should be unique", before anything is made (chatwoot
 * app/controllers/api/v1/accounts/conversations_controller.rb, the same in v4.0.0 and 4.14.2).
 */
function isSourceIdClash(error: unknown): boolean {
  return (
    error instanceof ChatwootApiError &&
    error.status === 422 &&
    /source_id should be unique/i.test(error.chatwootMessage)
  );
}

async function createConversation(
  api: ConversationsApi,
  connection: Connection,
  inputs: CheckedInputs,
  sourceId: string | undefined,
  seedId: string,
): Promise<{ conversation: ConversationJson; outcomeUnknown: boolean }> {
  try {
    return await createConversationOnce(api, connection, inputs, sourceId, seedId);
  } catch (error) {
    if (sourceId !== undefined && isSourceIdClash(error)) {
      await refuseForeignSourceId(connection, inputs, sourceId);
    }
    throw error;
  }
}

async function createConversationOnce(
  api: ConversationsApi,
  connection: Connection,
  inputs: CheckedInputs,
  sourceId: string | undefined,
  seedId: string,
): Promise<{ conversation: ConversationJson; outcomeUnknown: boolean }> {
  const body = {
    inbox_id: inputs.inboxId,
    contact_id: inputs.contactId,
    ...(sourceId === undefined ? {} : { source_id: sourceId }),
    // The marker is how a create whose answer was lost is found again (Chatwoot has no idempotency key).
    additional_attributes: { ...(inputs.additionalAttributes ?? {}), [SEED_MARKER_KEY]: seedId },
  };
  let outcomeUnknown = false;
  const conversation = await createExactlyOnce({
    create: () => api.create(body),
    findCreated: async () =>
      (await api.ofContact(inputs.contactId)).find((conversation) => seedIdOf(conversation) === seedId),
    retry: connection.retry,
    onLostAnswer: () => {
      outcomeUnknown = true;
    },
  });
  return { conversation, outcomeUnknown };
}

/**
 * After a create whose answer was lost, the lost write may still land after both looks and the
 * repeated create (Puma finishes a request whose client gave up): a second conversation with this
 * resource's seed marker. Only this operation can have made it, and its messages went to the kept
 * conversation, so it is deleted; where that is not possible, the user is told which one it is.
 */
async function removeLateTwins(
  api: ConversationsApi,
  contactId: number,
  seedId: string,
  kept: number,
): Promise<void> {
  const twins = (await api.ofContact(contactId)).filter(
    (conversation) => seedIdOf(conversation) === seedId && conversation.id !== kept,
  );
  for (const twin of twins) {
    const outcome = await api.delete(twin.id).catch((error: unknown) => error);
    if (outcome === "deleted" || outcome === "gone") continue;
    const why =
      outcome === "route-missing"
        ? "Chatwoot has no delete route before 4.3.0"
        : outcome instanceof Error
          ? outcome.message
          : String(outcome);
    warn(
      `conversation ${twin.id} is a copy of conversation ${kept}: Chatwoot applied a create whose answer ` +
        `was lost after the provider had made it again, and it could not be deleted (${why}). Delete it ` +
        "in the dashboard.",
    );
  }
}

/**
 * Brings a conversation to the program: posts the seeded messages it lacks (in order), then sets
 * status, priority, labels, team, assignee and custom attributes, in that order, because posting
 * an incoming message reopens a conversation and an agent who reopens one becomes its assignee.
 * Working from the live conversation lets the same code finish a half-made create and apply an
 * update. A create passes what it already knows (the conversation from its answer, the inbox's
 * channel), so nothing is read twice.
 */
async function converge(
  connection: Connection,
  api: ConversationsApi,
  conversationId: number,
  seedId: string,
  inputs: CheckedInputs,
  known?: { start: LiveConversation; inbox: InboxChannel },
): Promise<LiveConversation> {
  const start = known?.start ?? (await readLiveConversation(api, conversationId));
  if (start === undefined) {
    throw new ProviderError(
      `conversation ${conversationId} no longer exists in Chatwoot; run \`pulumi refresh\` so that the next ` +
        `\`pulumi up\` recreates it`,
    );
  }
  const alreadyPosted = seededMessages(seedId, start.messages);
  const toPost = inputs.messages.map((_, index) => index).filter((index) => !alreadyPosted.has(index));
  await refuseWhatTheReleaseCannotHold(connection, inputs.messages, toPost);
  await warnOfEmails(connection, conversationId, inputs, toPost, known?.inbox);
  const posted = await postMissingMessages(
    connection,
    api,
    conversationId,
    seedId,
    inputs.messages,
    start.messages,
  );
  const messages = [...start.messages, ...posted];
  let conversation = start.conversation;
  // What Chatwoot answered, and what it was just told, is what it holds, except where its own code
  // changes more: a message reopens a conversation that is not open (an incoming one a resolved or
  // snoozed conversation, an agent's reply a pending one; chatwoot app/models/message.rb,
  // `reopen_conversation` and `mark_pending_conversation_as_open_for_human_response`), and
  // applyState says when a change of its own may have. Only then is the conversation read again.
  // Each round compares afresh; three rounds always suffice.
  let stale = posted.length > 0 && conversation.status !== "open";
  for (let round = 0; ; round += 1) {
    if (stale) conversation = (await api.find(conversationId)) ?? conversation;
    const differences = stateDifferences(conversation, inputs);
    if (differences.length === 0) return { conversation, messages };
    if (round === 3) {
      throw new ProviderError(
        `Chatwoot did not keep the conversation's ${differences.join(", ")} as declared`,
      );
    }
    ({ conversation, stale } = await applyState(api, conversation, differences, inputs));
  }
}

async function postMissingMessages(
  connection: Connection,
  api: ConversationsApi,
  conversationId: number,
  seedId: string,
  messages: readonly SeedMessage[],
  existing: readonly MessageJson[],
): Promise<MessageJson[]> {
  const posted = seededMessages(seedId, existing);
  const lastPosted = Math.max(-1, ...posted.keys());
  const added: MessageJson[] = [];
  for (let index = 0; index < messages.length; index += 1) {
    if (posted.has(index)) continue;
    if (index < lastPosted) {
      throw new ProviderError(
        `seeded message ${index} is missing while later ones exist; replace the conversation to restore its order`,
      );
    }
    const message = messages[index]!;
    const sourceId = messageSourceId(seedId, index);
    const created = await postRespectingRateLimit(() =>
      createExactlyOnce({
        create: () =>
          postMessageExplained(api, conversationId, index, {
            content: message.content,
            message_type: message.messageType,
            private: message.private ?? false,
            ...(message.contentType === undefined ? {} : { content_type: message.contentType }),
            ...(message.contentAttributes === undefined
              ? {}
              : { content_attributes: message.contentAttributes }),
            source_id: sourceId,
          }),
        findCreated: async () =>
          (await api.allMessages(conversationId)).find((candidate) => candidate.source_id === sourceId),
        retry: connection.retry,
      }),
    );
    added.push(created);
  }
  return added;
}

/**
 * Warns (never fails) when posting would make Chatwoot email the contact: seeding a website inbox
 * with real people's addresses would write to them. The inbox and contact are read only when
 * there are outgoing public messages to post.
 */
async function warnOfEmails(
  connection: Connection,
  conversationId: number,
  inputs: CheckedInputs,
  toPost: readonly number[],
  knownChannel: InboxChannel | undefined,
): Promise<void> {
  const emailed = emailedMessageIndexes(inputs.messages, toPost);
  if (emailed.length === 0) return;
  const channel = knownChannel ?? (await inboxChannel(connection, inputs.inboxId));
  if (channel.channel_type !== "Channel::WebWidget") return;
  // Continuity via email can be switched at any time, so it is read afresh.
  const inbox = await new InboxesApi(connection.client, connection.accountId).get(inputs.inboxId);
  const contact = await new ContactsApi(connection.client, connection.accountId).find(inputs.contactId);
  if (emailsContact(inbox, contact)) warn(emailWarning(conversationId, inbox, contact, emailed));
}

/**
 * Posts one message, explaining the refusal of a content type the server's release does not have:
 * `voice_call` joined `Message`'s `content_type` enum in Chatwoot 4.6.0 (chatwoot
 * app/models/message.rb); older releases answer 422 "'voice_call' is not a valid content_type".
 */
async function postMessageExplained(
  api: ConversationsApi,
  conversationId: number,
  index: number,
  body: Parameters<ConversationsApi["postMessage"]>[1],
) {
  try {
    return await api.postMessage(conversationId, body);
  } catch (error) {
    if (
      error instanceof ChatwootApiError &&
      error.status === 422 &&
      /is not a valid content_type/.test(error.chatwootMessage)
    ) {
      throw new ProviderError(
        `[messages.${index}.contentType] this Chatwoot does not know the content type ${String(body.content_type)} ` +
          `(voice_call needs Chatwoot 4.6.0 or later): upgrade Chatwoot or use another contentType`,
      );
    }
    throw error;
  }
}

/** Chatwoot takes at most 200 messages per conversation per minute and refuses the rest (422). */
async function postRespectingRateLimit<T>(post: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await post();
    } catch (error) {
      if (!isMessageRateLimited(error) || attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 61_000));
    }
  }
}

/**
 * Sets the fields that differ, and answers the conversation as Chatwoot holds it now as far as its
 * answers tell, with `stale` when Chatwoot may have changed more than it said. A status change goes
 * alone: an agent who leaves a conversation open becomes its assignee (chatwoot
 * app/controllers/api/v1/accounts/conversations_controller.rb, `toggle_status` and
 * `should_assign_conversation?`), so the other fields are compared afresh in the next round. A team
 * or assignee change may move the other (app/models/conversation.rb, `ensure_assignee_is_from_team`).
 */
async function applyState(
  api: ConversationsApi,
  before: ConversationJson,
  differences: readonly string[],
  inputs: CheckedInputs,
): Promise<{ conversation: ConversationJson; stale: boolean }> {
  const id = before.id;
  if (differences.includes("status")) {
    const snoozedUntil =
      inputs.status === "snoozed" && inputs.snoozedUntil !== undefined
        ? Math.floor(Date.parse(inputs.snoozedUntil) / 1000)
        : undefined;
    const answer = await api.setStatus(id, inputs.status ?? "open", snoozedUntil);
    return {
      conversation: { ...before, status: answer.status, snoozed_until: answer.snoozedUntil },
      stale: answer.status === "open",
    };
  }
  let conversation = before;
  let stale = false;
  if (differences.includes("priority")) {
    // `toggle_priority` answers 200 with no body: it holds what it was sent.
    await api.setPriority(id, inputs.priority ?? null);
    conversation = { ...conversation, priority: inputs.priority ?? null };
  }
  if (differences.includes("labels")) {
    conversation = { ...conversation, labels: await api.setLabels(id, inputs.labels ?? []) };
  }
  if (differences.includes("team")) {
    await api.assign(id, { team_id: inputs.teamId ?? null });
    stale = true;
  }
  if (differences.includes("assignee")) {
    await api.assign(id, { assignee_id: inputs.assigneeId ?? null });
    stale = true;
  }
  if (differences.includes("custom attributes")) {
    const custom = await api.setCustomAttributes(id, inputs.customAttributes ?? {});
    conversation = { ...conversation, custom_attributes: custom };
  }
  return { conversation, stale };
}

function stateDifferences(conversation: ConversationJson, inputs: CheckedInputs): string[] {
  const differences: string[] = [];
  const status = inputs.status ?? "open";
  const snoozeMatches =
    status !== "snoozed" ||
    inputs.snoozedUntil === undefined ||
    (conversation.snoozed_until !== null &&
      conversation.snoozed_until !== undefined &&
      Math.floor(snoozeTime(conversation.snoozed_until) / 1000) ===
        Math.floor(Date.parse(inputs.snoozedUntil) / 1000));
  if (conversation.status !== status || !snoozeMatches) differences.push("status");
  if ((conversation.priority ?? undefined) !== inputs.priority) differences.push("priority");
  if (!deepEqual(labelsAsSet(conversation.labels ?? []), inputs.labels ?? [])) differences.push("labels");
  if ((conversation.meta?.team?.id ?? undefined) !== inputs.teamId) differences.push("team");
  if (userAssigneeId(conversation) !== inputs.assigneeId) differences.push("assignee");
  if (!deepEqual(conversation.custom_attributes ?? {}, inputs.customAttributes ?? {})) {
    differences.push("custom attributes");
  }
  return differences;
}

function outputContext(
  connection: Connection,
  inputs: ConversationInputs,
  seedId: string,
  sourceId: string | undefined,
): OutputContext {
  return {
    accountId: connection.accountId,
    baseUrl: connection.settings.url,
    seedId,
    sourceId: inputs.sourceId ?? sourceId,
    managedAdditionalKeys: Object.keys(inputs.additionalAttributes ?? {}),
    // Posted by this operation: what Chatwoot holds now is what it stored.
    declaredMessages: (inputs.messages ?? []).map((declared) => ({ declared, storedContent: undefined })),
  };
}

/**
 * The recorded transcript with what Chatwoot stored for each message. State written before
 * `messageContents` existed recorded Chatwoot's own form as `messages`, so that is what it stored.
 */
function recordedDeclarations(recorded: ConversationOutputs): DeclaredMessage[] {
  return recorded.messages.map((declared, index) => ({
    declared,
    storedContent: recorded.messageContents?.[index] ?? declared.content,
  }));
}

/** The inputs a live conversation implies, so that a refresh makes later diffs compare against reality. */
function impliedInputs(outputs: ConversationOutputs): Record<string, unknown> {
  const {
    conversationId: _id,
    uuid: _uuid,
    url: _url,
    seedId: _seed,
    messageIds: _ids,
    messageContents: _contents,
    ...inputs
  } = outputs;
  const implied: Record<string, unknown> = { ...inputs };
  if (outputs.labels.length === 0) delete implied.labels;
  if (Object.keys(outputs.customAttributes).length === 0) delete implied.customAttributes;
  if (Object.keys(outputs.additionalAttributes).length === 0) delete implied.additionalAttributes;
  return implied;
}
