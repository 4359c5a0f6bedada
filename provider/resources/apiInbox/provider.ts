import { ApiChannelAttributes, InboxAttributes, InboxesApi } from "../../chatwoot/inboxes";
import type { FullInboxJson } from "../../chatwoot/schemas";
import { Connection, connect } from "../../dynamic/context";
import type { Implementation } from "../../dynamic/implementation";
import { checkFields } from "../../validation/check";
import { applyDefaultAccount } from "../account";
import { createExactlyOnce } from "../createOnce";
import { deepEqual } from "../equality";
import { PartialCreateError, ProviderError, failure } from "../errors";
import { diffFields } from "../fields";
import { ApiInboxInputs, ApiInboxOutputs, apiInboxFieldSchemas, apiInboxFields } from "./spec";

const API_CHANNEL = "Channel::Api";

/** An API inbox as Chatwoot holds it now, with its members when the resource manages them. */
interface LiveInbox {
  readonly inbox: FullInboxJson;
  readonly agentIds: number[] | undefined;
}

export const apiInboxImplementation: Implementation = {
  async check(_olds, news) {
    const { inputs, failures } = checkFields("ApiInbox", news, apiInboxFieldSchemas);
    failures.push(...applyDefaultAccount(inputs));
    if (news.name === undefined || news.name === null) {
      failures.push({ property: "name", reason: "[name] is required: it names the inbox in Chatwoot" });
    }
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const { changed, replaces } = diffFields(apiInboxFields, olds, news);
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(raw) {
    const inputs = raw as unknown as ApiInboxInputs & { name: string };
    const connection = connect(inputs.accountId);
    const api = new InboxesApi(connection.client, connection.accountId);
    let inbox: FullInboxJson;
    let adopted = false;
    try {
      const existing = await findByName(api, inputs.name);
      if (existing !== undefined && !inputs.adopt)
        throw clashError(inputs.name, existing, connection.accountId);
      if (existing !== undefined) {
        inbox = existing;
        adopted = true;
      } else {
        inbox = await createInbox(api, connection, inputs);
      }
    } catch (error) {
      throw failure(`Creating API inbox "${inputs.name}"`, error);
    }
    const id = String(inbox.id);
    try {
      // A new inbox has exactly the attributes it was created with, and no members yet.
      const known: LiveInbox | undefined = adopted ? undefined : { inbox, agentIds: [] };
      const live = await reconcile(api, inbox.id, inputs, known);
      return { id, outs: { ...apiInboxOutputs(live, connection.accountId, inputs.adopt, adopted) } };
    } catch (error) {
      const outs = apiInboxOutputs({ inbox, agentIds: [] }, connection.accountId, inputs.adopt, adopted);
      throw new PartialCreateError(id, { ...outs }, error, `API inbox ${id} exists in Chatwoot`);
    }
  },

  async read(id, props) {
    const recorded = props as unknown as ApiInboxOutputs;
    const connection = connect(recorded.accountId);
    const api = new InboxesApi(connection.client, connection.accountId);
    try {
      const live = await readLive(api, Number(id), recorded.agentIds !== undefined);
      // Gone: an empty id tells the engine to drop the resource, and the next `up` recreates it.
      if (live === undefined) return { id: "" };
      const outs = apiInboxOutputs(live, connection.accountId, recorded.adopt, recorded.adopted ?? false);
      return { id, props: { ...outs }, inputs: impliedInputs(outs) };
    } catch (error) {
      throw failure(`Reading API inbox ${id}`, error);
    }
  },

  async update(id, olds, news) {
    const recorded = olds as unknown as ApiInboxOutputs;
    const inputs = news as ApiInboxInputs;
    const connection = connect(inputs.accountId ?? recorded.accountId);
    const api = new InboxesApi(connection.client, connection.accountId);
    try {
      const live = await reconcile(api, Number(id), inputs, undefined);
      return {
        outs: { ...apiInboxOutputs(live, connection.accountId, inputs.adopt, recorded.adopted ?? false) },
      };
    } catch (error) {
      throw failure(`Updating API inbox ${id}`, error);
    }
  },

  async delete(id, props) {
    const recorded = props as unknown as ApiInboxOutputs;
    const connection = connect(recorded.accountId);
    try {
      // Already gone is fine: the goal of a delete is reached either way.
      await new InboxesApi(connection.client, connection.accountId).delete(Number(id));
    } catch (error) {
      throw failure(`Deleting API inbox ${id}`, error);
    }
  },
};

/**
 * The account's API inbox with that exact name, if there is one. Chatwoot lets names repeat,
 * so a name held by several inboxes, or by an inbox of another channel, is refused: the provider
 * could not tell which inbox it had made or should take over.
 */
async function findByName(api: InboxesApi, name: string): Promise<FullInboxJson | undefined> {
  const matches = (await api.list()).filter((inbox) => inbox.name === name);
  if (matches.length > 1) {
    throw new ProviderError(
      `[name] "${name}" is held by ${matches.length} inboxes (${matches.map((inbox) => inbox.id).join(", ")}); ` +
        `rename all but one in Chatwoot, or choose another name`,
    );
  }
  const match = matches[0];
  if (match !== undefined && match.channel_type !== API_CHANNEL) {
    throw new ProviderError(
      `[name] "${name}" is already the name of inbox ${match.id}, a ${match.channel_type} inbox; ` +
        `an ApiInbox can only take over an API inbox, so choose another name`,
    );
  }
  return match;
}

function clashError(name: string, existing: FullInboxJson, accountId: number): ProviderError {
  return new ProviderError(
    `an API inbox named "${name}" already exists in account ${accountId}: inbox ${existing.id}. ` +
      "Set `adopt: true` to manage that inbox with this resource, or change [name].",
  );
}

/** POSTs the inbox; a lost answer is followed by a lookup by name before any new attempt. */
async function createInbox(
  api: InboxesApi,
  connection: Connection,
  inputs: ApiInboxInputs & { name: string },
): Promise<FullInboxJson> {
  return createExactlyOnce({
    create: () => api.createApi(inboxAttributes(inputs), channelAttributes(inputs)),
    findCreated: () => findByName(api, inputs.name),
    retry: connection.retry,
  });
}

/** The inbox attributes to send so that Chatwoot holds exactly the inputs. */
function inboxAttributes(inputs: ApiInboxInputs): InboxAttributes {
  return {
    ...(inputs.name === undefined ? {} : { name: inputs.name }),
    greeting_enabled: inputs.greetingEnabled ?? false,
    greeting_message: inputs.greetingMessage ?? null,
    enable_auto_assignment: inputs.enableAutoAssignment ?? true,
    allow_messages_after_resolved: inputs.allowMessagesAfterResolved ?? true,
    lock_to_single_conversation: inputs.lockToSingleConversation ?? false,
  };
}

function channelAttributes(inputs: ApiInboxInputs): Required<ApiChannelAttributes> {
  return { webhook_url: inputs.webhookUrl ?? null, hmac_mandatory: inputs.hmacMandatory ?? false };
}

async function readLive(
  api: InboxesApi,
  inboxId: number,
  withMembers: boolean,
): Promise<LiveInbox | undefined> {
  const inbox = await api.find(inboxId);
  if (inbox === undefined) return undefined;
  if (inbox.channel_type !== API_CHANNEL) {
    throw new ProviderError(`inbox ${inboxId} is a ${inbox.channel_type} inbox, not an API inbox`);
  }
  return { inbox, agentIds: withMembers ? await api.memberIds(inboxId) : undefined };
}

/**
 * Brings a live inbox to the inputs with only the requests that change something, and answers
 * the inbox as it is afterwards. Working from the live inbox lets the same code finish a
 * half-made create, take over an adopted inbox, undo drift and apply an update.
 */
async function reconcile(
  api: InboxesApi,
  inboxId: number,
  inputs: ApiInboxInputs,
  known: LiveInbox | undefined,
): Promise<LiveInbox> {
  let live = known ?? (await readLive(api, inboxId, inputs.agentIds !== undefined));
  if (live === undefined) {
    throw new ProviderError(
      `API inbox ${inboxId} no longer exists in Chatwoot; run \`pulumi refresh\` so that the next \`pulumi up\` recreates it`,
    );
  }
  const wantedInbox = inboxAttributes(inputs);
  const wantedChannel = channelAttributes(inputs);
  const inboxChanged = changedKeys(live.inbox, wantedInbox);
  const channelChanged = changedKeys(live.inbox, wantedChannel).length > 0;
  if (inboxChanged.length > 0 || channelChanged) {
    const patch: InboxAttributes = {};
    for (const key of inboxChanged) Object.assign(patch, { [key]: wantedInbox[key] });
    live = { ...live, inbox: await api.update(inboxId, patch, channelChanged ? wantedChannel : undefined) };
  }
  if (inputs.agentIds !== undefined) {
    const current = live.agentIds ?? (await api.memberIds(inboxId));
    const agentIds = deepEqual(current, inputs.agentIds)
      ? current
      : await api.setMembers(inboxId, inputs.agentIds);
    live = { ...live, agentIds };
  }
  return live;
}

/** The keys of `wanted` whose value differs from the inbox's (null, "" and absent alike). */
function changedKeys<T extends object>(inbox: FullInboxJson, wanted: T): Array<keyof T & string> {
  const held = inbox as unknown as Record<string, unknown>;
  return (Object.keys(wanted) as Array<keyof T & string>).filter(
    (key) =>
      (held[key] ?? null) !== ((wanted[key] as unknown) ?? null) &&
      !(isEmpty(held[key]) && isEmpty(wanted[key])),
  );
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/** The resource's outputs for a live inbox: every managed field as Chatwoot stored it. */
function apiInboxOutputs(
  live: LiveInbox,
  accountId: number,
  adopt: boolean | undefined,
  adopted: boolean,
): ApiInboxOutputs {
  const { inbox } = live;
  const outputs: ApiInboxOutputs = {
    inboxId: inbox.id,
    accountId,
    name: inbox.name ?? "",
    hmacMandatory: inbox.hmac_mandatory ?? false,
    lockToSingleConversation: inbox.lock_to_single_conversation ?? false,
    allowMessagesAfterResolved: inbox.allow_messages_after_resolved ?? true,
    greetingEnabled: inbox.greeting_enabled ?? false,
    enableAutoAssignment: inbox.enable_auto_assignment ?? true,
    inboxIdentifier: inbox.inbox_identifier ?? "",
    adopted,
  };
  if (!isEmpty(inbox.webhook_url)) outputs.webhookUrl = inbox.webhook_url as string;
  if (!isEmpty(inbox.greeting_message)) outputs.greetingMessage = inbox.greeting_message as string;
  if (live.agentIds !== undefined) outputs.agentIds = live.agentIds;
  if (adopt !== undefined) outputs.adopt = adopt;
  // Chatwoot shows these to administrators only, and `secret` from 4.13 on.
  if (!isEmpty(inbox.hmac_token)) outputs.hmacToken = inbox.hmac_token as string;
  if (!isEmpty(inbox.secret)) outputs.secret = inbox.secret as string;
  return outputs;
}

/** The inputs a live inbox implies, so that a refresh makes later diffs compare against reality. */
function impliedInputs(outputs: ApiInboxOutputs): Record<string, unknown> {
  const {
    inboxId: _inboxId,
    inboxIdentifier: _identifier,
    hmacToken: _hmacToken,
    secret: _secret,
    adopted: _adopted,
    ...inputs
  } = outputs;
  return { ...inputs };
}
