import { labelsAsSet } from "../../validation/rules";
import { ContactsApi, NaturalKey, naturalKeyMatches } from "../../chatwoot/contacts";
import { ContactInboxesApi } from "../../chatwoot/contactInboxes";
import { ChatwootApiError } from "../../client/errors";
import type { ContactJson } from "../../chatwoot/schemas";
import { Connection, connect } from "../../dynamic/context";
import type { Implementation } from "../../dynamic/implementation";
import { CheckFailure, checkFields } from "../../validation/check";
import { absent, applyDefaultAccount } from "../account";
import { createExactlyOnce } from "../createOnce";
import { deepEqual } from "../equality";
import { PartialCreateError, ProviderError, deleteFailure, failure } from "../errors";
import { diffFields } from "../fields";
import {
  refuseImpossibleSession,
  refuseMissingSourceId,
  sessionOwner,
  sessionTakenError,
} from "../sessionGuard";
import { LiveContact, OutputContext, contactOutputs, findSession, readLiveContact } from "./live";
import { ContactInputs, ContactOutputs, contactFieldSchemas, contactFields } from "./spec";

const NATURAL_KEYS: ReadonlyArray<[keyof ContactInputs, NaturalKey]> = [
  ["email", "email"],
  ["phoneNumber", "phone_number"],
  ["identifier", "identifier"],
];

export const contactImplementation: Implementation = {
  async check(_olds, news) {
    const { inputs, failures } = checkFields("Contact", news, contactFieldSchemas);
    return { inputs, failures: [...failures, ...crossFieldFailures(inputs, news)] };
  },

  async diff(_id, olds, news) {
    const { changed, replaces } = diffFields(contactFields, olds, news);
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(raw) {
    const inputs = raw as ContactInputs;
    const connection = connect(inputs.accountId);
    const api = new ContactsApi(connection.client, connection.accountId);
    const what = `Creating contact ${describe(inputs)}`;
    let contact: ContactJson;
    let adopted = false;
    try {
      const made = await createOrFindHolder(api, connection, inputs);
      if (made.existing !== undefined && !inputs.adopt) {
        throw clashError(inputs, made.existing, connection.accountId);
      }
      contact = made.existing ?? made.created;
      adopted = made.existing !== undefined;
    } catch (error) {
      throw failure(what, error);
    }
    const id = String(contact.id);
    try {
      // A contact made just now is known exactly (and has no labels); an adopted one is read first.
      const known = adopted ? undefined : { contact, labels: [] };
      const live = await reconcile(connection, contact.id, inputs, { previousAdditionalKeys: [], known });
      return {
        id,
        outs: contactOutputs(live, outputContext(connection.accountId, inputs, undefined, adopted)),
      };
    } catch (error) {
      const known: LiveContact = { contact, labels: [] };
      const properties = contactOutputs(
        known,
        outputContext(connection.accountId, inputs, undefined, adopted),
      );
      throw new PartialCreateError(id, { ...properties }, error, `Contact ${id} exists in Chatwoot`);
    }
  },

  async read(id, props) {
    const recorded = props as unknown as ContactOutputs;
    const connection = connect(recorded.accountId);
    const api = new ContactsApi(connection.client, connection.accountId);
    try {
      const live = await readLiveContact(api, Number(id));
      // Gone: an empty id tells the engine to drop the resource, and the next `up` recreates it.
      if (live === undefined) return { id: "" };
      const context = outputContextFromRecord(connection.accountId, recorded);
      const outs = contactOutputs(live, context);
      return { id, props: { ...outs }, inputs: impliedInputs(outs) };
    } catch (error) {
      throw failure(`Reading contact ${id}`, error);
    }
  },

  async update(id, olds, news) {
    const recorded = olds as unknown as ContactOutputs;
    const inputs = news as ContactInputs;
    const connection = connect(inputs.accountId ?? recorded.accountId);
    try {
      const live = await reconcile(connection, Number(id), inputs, {
        previousAdditionalKeys: Object.keys(recorded.additionalAttributes ?? {}),
        recorded,
      });
      const context = outputContext(connection.accountId, inputs, recorded, recorded.adopted ?? false);
      return { outs: contactOutputs(live, context) };
    } catch (error) {
      throw failure(`Updating contact ${id}`, error);
    }
  },

  async delete(id, props) {
    const recorded = props as unknown as ContactOutputs;
    const connection = connect(recorded.accountId);
    try {
      // Already gone is fine: the goal of a delete is reached either way.
      await new ContactsApi(connection.client, connection.accountId).delete(Number(id));
    } catch (error) {
      throw deleteFailure("contact", id, error);
    }
  },
};

/** Rules across fields; presence is judged on the raw inputs, so an invalid value is reported once. */
function crossFieldFailures(inputs: ContactInputs, news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = applyDefaultAccount(inputs);
  if (NATURAL_KEYS.every(([field]) => absent(news[field]))) {
    failures.push({
      property: "email",
      reason:
        "[email], [phoneNumber] or [identifier]: at least one is required. Chatwoot hides contacts without " +
        "one from its contact list, and nothing could find the contact again after a failed create",
    });
  }
  if (!absent(news.sourceId) && absent(news.inboxId)) {
    failures.push({
      property: "sourceId",
      reason: "[sourceId] needs [inboxId]: it names the contact inbox created in that inbox",
    });
  }
  return failures;
}

function naturalKeys(inputs: ContactInputs): Partial<Record<NaturalKey, string>> {
  const keys: Partial<Record<NaturalKey, string>> = {};
  for (const [field, key] of NATURAL_KEYS) {
    const value = inputs[field];
    if (typeof value === "string") keys[key] = value;
  }
  return keys;
}

/** The one contact that holds any of the inputs' natural keys, if there is one. */
async function findExisting(api: ContactsApi, inputs: ContactInputs): Promise<ContactJson | undefined> {
  const matches = await api.findByNaturalKeys(naturalKeys(inputs));
  if (matches.length > 1) {
    const ids = matches.map((contact) => contact.id).join(", ");
    throw new ProviderError(
      `the email, phone number and identifier given match different existing contacts (${ids}); ` +
        `a contact resource can take over at most one of them`,
    );
  }
  return matches[0];
}

function clashError(inputs: ContactInputs, existing: ContactJson, accountId: number): ProviderError {
  const [field, key] = NATURAL_KEYS.find(([f, k]) => {
    const value = inputs[f];
    return typeof value === "string" && naturalKeyMatches(existing, k, value);
  }) ?? ["email", "email"];
  return new ProviderError(
    `a contact with the same [${field}] (${String(inputs[field])}) already exists in account ${accountId}: ` +
      `contact ${existing.id} (Chatwoot's ${key}). Set \`adopt: true\` to manage that contact with this ` +
      `resource, or change [${field}].`,
  );
}

type Made = { created: ContactJson; existing?: undefined } | { created?: undefined; existing: ContactJson };

/**
 * Makes the contact, or finds the one already holding its email, phone number or identifier,
 * with as few requests as Chatwoot's answers allow.
 *
 * The contact is POSTed without looking first: Chatwoot itself refuses a contact whose email,
 * phone number or identifier another contact of the account holds, with 422 naming the attribute
 * and nothing written (the `uniqueness` validations of chatwoot app/models/contact.rb, rendered by
 * `render_record_invalid` in app/controllers/concerns/request_exception_handler.rb; the contact
 * and its contact inbox are saved in one transaction by `ContactsController#create`). Only such a
 * refusal sends it looking, to name the holder or adopt it.
 *
 * A session named by `sourceId` is checked first (one request), because a clash there is no clean
 * refusal: in API and website inboxes the unique index raises and Chatwoot answers 500, elsewhere
 * it quietly renames the other contact's session (chatwoot app/builders/contact_inbox_builder.rb,
 * `update_old_contact_inbox`). When another contact holds it, that may be the very contact to
 * adopt, so the contact is looked up instead of posted.
 */
async function createOrFindHolder(
  api: ContactsApi,
  connection: Connection,
  inputs: ContactInputs,
): Promise<Made> {
  if (inputs.inboxId !== undefined && inputs.sourceId === undefined) {
    await refuseMissingSourceId(connection, inputs.inboxId);
  }
  if (inputs.inboxId !== undefined && inputs.sourceId !== undefined) {
    const owner = await sessionOwner(connection, inputs.inboxId, inputs.sourceId);
    if (owner !== undefined) {
      const existing = await findExisting(api, inputs);
      if (existing === undefined) throw sessionTakenError(inputs.inboxId, inputs.sourceId, owner);
      // Adopting: the session check runs again once the contact is known (reconcile).
      return { existing };
    }
  }
  const fields = contactBody(inputs, []);
  const body = {
    ...fields,
    ...(inputs.inboxId === undefined ? {} : { inbox_id: inputs.inboxId }),
    ...(inputs.sourceId === undefined ? {} : { source_id: inputs.sourceId }),
  };
  try {
    const created = await createExactlyOnce({
      create: async () => (await api.create(body)).contact,
      findCreated: async () => {
        const found = await findExisting(api, inputs);
        // After a lost answer, a contact holding the keys is this create's only if it holds exactly
        // what was posted: one that differs was there before (the POST was refused), a clash.
        if (found !== undefined && needsPatch(found, fields, found.blocked ?? fields.blocked)) {
          throw new HeldBefore(found);
        }
        return found;
      },
      retry: connection.retry,
    });
    return { created };
  } catch (error) {
    if (error instanceof HeldBefore) return { existing: error.contact };
    if (!refusedForNaturalKey(error)) throw error;
    const existing = await findExisting(api, inputs);
    // Refused for another reason as well (a malformed phone number, say): Chatwoot's message says which.
    if (existing === undefined) throw error;
    return { existing };
  }
}

/** Thrown out of a lost create's lookup when the contact found is not the one it would have made. */
class HeldBefore extends Error {
  constructor(readonly contact: ContactJson) {
    super(`contact ${contact.id} held the key before`);
  }
}

/** Chatwoot's refusal of an email, phone number or identifier another contact holds. */
function refusedForNaturalKey(error: unknown): boolean {
  return (
    error instanceof ChatwootApiError &&
    error.status === 422 &&
    error.attributes.some((attribute) => NATURAL_KEYS.some(([, key]) => key === attribute))
  );
}

/** The contact fields to send so that Chatwoot holds exactly the inputs. */
function contactBody(inputs: ContactInputs, previousAdditionalKeys: readonly string[]) {
  const additional: Record<string, unknown> = {};
  // Chatwoot merges additional attributes and has no way to delete a key: null is the closest.
  for (const key of previousAdditionalKeys) additional[key] = null;
  Object.assign(additional, inputs.additionalAttributes ?? {});
  return {
    ...(inputs.name === undefined ? {} : { name: inputs.name }),
    email: inputs.email ?? null,
    phone_number: inputs.phoneNumber ?? null,
    identifier: inputs.identifier ?? null,
    blocked: inputs.blocked ?? false,
    custom_attributes: inputs.customAttributes ?? {},
    additional_attributes: additional,
  };
}

/**
 * Brings a live contact to the inputs, doing only the requests that change something, and
 * answers the contact as it is afterwards. Working from the live contact (not from the recorded
 * outputs) lets the same code finish a half-made create, undo drift and apply an update.
 */
async function reconcile(
  connection: Connection,
  contactId: number,
  inputs: ContactInputs,
  from: {
    /** Additional-attribute keys managed until now. */
    previousAdditionalKeys: readonly string[];
    recorded?: ContactOutputs;
    /** The contact as Chatwoot holds it, when the caller already knows; else it is read. */
    known?: LiveContact | undefined;
  },
): Promise<LiveContact> {
  const api = new ContactsApi(connection.client, connection.accountId);
  const { previousAdditionalKeys, recorded } = from;
  let live = from.known ?? (await readLiveContact(api, contactId));
  if (live === undefined) {
    throw new ProviderError(
      `contact ${contactId} no longer exists in Chatwoot; run \`pulumi refresh\` so that the next \`pulumi up\` recreates it`,
    );
  }
  const droppedKeys = previousAdditionalKeys.filter((key) => !(key in (inputs.additionalAttributes ?? {})));
  const body = contactBody(inputs, droppedKeys);
  // Chatwoot before 4.2.0 replaces `additional_attributes` with the object sent instead of merging
  // it (chatwoot app/controllers/api/v1/accounts/contacts_controller.rb, `contact_update_params`):
  // sending the live keys too keeps the ones the program does not manage on every release.
  body.additional_attributes = {
    ...(live.contact.additional_attributes ?? {}),
    ...body.additional_attributes,
  };
  // Before 4.0.2 Chatwoot does not report `blocked`: a contact made just now holds what create sent,
  // one recorded before holds what the provider last wrote, an adopted one is unknown (so written).
  const blockedNow =
    live.contact.blocked ?? (from.known !== undefined ? body.blocked : (recorded?.blocked ?? undefined));
  if (needsPatch(live.contact, body, blockedNow)) {
    live = { ...live, contact: await api.update(contactId, body) };
  }
  const extraCustomKeys = Object.keys(live.contact.custom_attributes ?? {}).filter(
    (key) => !(key in (inputs.customAttributes ?? {})),
  );
  if (extraCustomKeys.length > 0) {
    live = { ...live, contact: await api.destroyCustomAttributes(contactId, extraCustomKeys) };
  }
  const labels = inputs.labels ?? [];
  if (!deepEqual(labelsAsSet(live.labels), labels)) {
    live = { ...live, labels: await api.setLabels(contactId, labels) };
  }
  if (inputs.inboxId !== undefined) {
    const sourceId = trackedSourceId(inputs, recorded);
    if (findSession(live.contact, inputs.inboxId, sourceId) === undefined) {
      await refuseImpossibleSession(connection, { inboxId: inputs.inboxId, sourceId, contactId });
      await new ContactInboxesApi(connection.client, connection.accountId).create(contactId, {
        inbox_id: inputs.inboxId,
        ...(sourceId === undefined ? {} : { source_id: sourceId }),
      });
      live = { ...live, contact: (await api.find(contactId)) ?? live.contact };
    }
  }
  return live;
}

function needsPatch(
  contact: ContactJson,
  body: ReturnType<typeof contactBody>,
  blockedNow: boolean | undefined,
): boolean {
  if (body.name !== undefined && (contact.name ?? "") !== body.name) return true;
  if ((contact.email || null) !== body.email) return true;
  if ((contact.phone_number || null) !== body.phone_number) return true;
  if ((contact.identifier || null) !== body.identifier) return true;
  if (blockedNow !== body.blocked) return true;
  const custom = contact.custom_attributes ?? {};
  if (Object.entries(body.custom_attributes).some(([key, value]) => !deepEqual(custom[key], value)))
    return true;
  const additional = contact.additional_attributes ?? {};
  return Object.entries(body.additional_attributes).some(
    ([key, value]) => !deepEqual(additional[key] ?? null, value),
  );
}

function outputContext(
  accountId: number,
  inputs: ContactInputs,
  recorded: ContactOutputs | undefined,
  adopted: boolean,
): OutputContext {
  const sourceId = trackedSourceId(inputs, recorded);
  return {
    accountId,
    managedAdditionalKeys: Object.keys(inputs.additionalAttributes ?? {}),
    session: inputs.inboxId === undefined ? undefined : { inboxId: inputs.inboxId, sourceId },
    adopt: inputs.adopt,
    adopted,
    blockedIfUnreported: inputs.blocked ?? false,
  };
}

/** The source id of the contact inbox the resource tracks: the given one, else the one generated before. */
function trackedSourceId(inputs: ContactInputs, recorded: ContactOutputs | undefined): string | undefined {
  return inputs.sourceId ?? (recorded?.inboxId === inputs.inboxId ? recorded?.sourceId : undefined);
}

function outputContextFromRecord(accountId: number, recorded: ContactOutputs): OutputContext {
  return {
    accountId,
    managedAdditionalKeys: Object.keys(recorded.additionalAttributes ?? {}),
    session:
      recorded.inboxId === undefined ? undefined : { inboxId: recorded.inboxId, sourceId: recorded.sourceId },
    adopt: recorded.adopt,
    adopted: recorded.adopted ?? false,
    blockedIfUnreported: recorded.blocked ?? false,
  };
}

/** The inputs a live contact implies, so that a refresh makes later diffs compare against reality. */
function impliedInputs(outputs: ContactOutputs): Record<string, unknown> {
  const { contactId: _contactId, adopted: _adopted, ...inputs } = outputs;
  const implied: Record<string, unknown> = { ...inputs };
  // Empty values and leaving a field out mean the same thing; keep the inputs minimal.
  if (Object.keys(outputs.customAttributes).length === 0) delete implied.customAttributes;
  if (Object.keys(outputs.additionalAttributes).length === 0) delete implied.additionalAttributes;
  if (outputs.labels.length === 0) delete implied.labels;
  if (!outputs.blocked) delete implied.blocked;
  return implied;
}

function describe(inputs: ContactInputs): string {
  return inputs.identifier ?? inputs.email ?? inputs.phoneNumber ?? inputs.name ?? "(unnamed)";
}
