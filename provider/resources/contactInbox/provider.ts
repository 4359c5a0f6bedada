import { randomUUID } from "node:crypto";
import { ContactInboxesApi } from "../../chatwoot/contactInboxes";
import { generatesRandomSourceIds } from "../../chatwoot/inboxes";
import { inboxChannel } from "../inboxChannels";
import { Connection, connect } from "../../dynamic/context";
import type { Implementation } from "../../dynamic/implementation";
import { CheckFailure, checkFields } from "../../validation/check";
import { absent, applyDefaultAccount } from "../account";
import { ProviderError, failure } from "../errors";
import { diffFields } from "../fields";
import { refuseImpossibleSession } from "../sessionGuard";
import {
  ContactInboxInputs,
  ContactInboxOutputs,
  contactInboxFieldSchemas,
  contactInboxFields,
} from "./spec";

export const contactInboxImplementation: Implementation = {
  async check(_olds, news) {
    const { inputs, failures } = checkFields("ContactInbox", news, contactInboxFieldSchemas);
    return { inputs, failures: [...failures, ...requiredFailures(inputs, news)] };
  },

  async diff(_id, olds, news) {
    const { changed, replaces } = diffFields(contactInboxFields, olds, news);
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(raw) {
    // check() guarantees both ids before the engine calls create.
    const inputs = raw as unknown as ContactInboxInputs & { contactId: number; inboxId: number };
    const connection = connect(inputs.accountId);
    const sessions = new ContactInboxesApi(connection.client, connection.accountId);
    const what = `Creating the contact inbox of contact ${inputs.contactId} in inbox ${inputs.inboxId}`;
    try {
      const sourceId = inputs.sourceId ?? (await generatedSourceId(connection, inputs.inboxId));
      await refuseImpossibleSession(connection, { ...inputs, sourceId });
      const created = await sessions.create(inputs.contactId, {
        inbox_id: inputs.inboxId,
        ...(sourceId === undefined ? {} : { source_id: sourceId }),
        ...(inputs.hmacVerified === undefined ? {} : { hmac_verified: inputs.hmacVerified }),
      });
      const outs: ContactInboxOutputs = {
        accountId: connection.accountId,
        contactId: inputs.contactId,
        inboxId: created.inboxId,
        sourceId: created.sourceId,
        ...(inputs.hmacVerified === undefined ? {} : { hmacVerified: inputs.hmacVerified }),
      };
      return { id: contactInboxId(outs), outs };
    } catch (error) {
      throw failure(what, error);
    }
  },

  async read(id, props) {
    const recorded = props as unknown as ContactInboxOutputs;
    const connection = connect(recorded.accountId);
    try {
      const owner = await new ContactInboxesApi(connection.client, connection.accountId).findOwner(
        recorded.inboxId,
        recorded.sourceId,
      );
      // Gone with its contact (or its inbox): the engine drops it, and the next `up` recreates it.
      if (owner === undefined) return { id: "" };
      // A contact merge can move the session to another contact: report who holds it now.
      const outs: ContactInboxOutputs = { ...recorded, accountId: connection.accountId, contactId: owner.id };
      const { hmacVerified: _notReadable, ...inputs } = outs;
      return { id, props: { ...outs }, inputs: { ...inputs, ...hmacInput(recorded) } };
    } catch (error) {
      throw failure(`Reading contact inbox ${id}`, error);
    }
  },

  async update(id) {
    // Every field replaces, so the engine never asks for an update; refuse rather than pretend.
    throw new ProviderError(`Contact inbox ${id} cannot be updated: Chatwoot has no route for it`);
  },

  async delete() {
    // Chatwoot has no route to delete a contact inbox: it goes when its contact (or inbox) is
    // deleted. Removing the resource from the program therefore only stops tracking it.
  },
};

function requiredFailures(inputs: ContactInboxInputs, news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = applyDefaultAccount(inputs);
  if (absent(news.contactId)) failures.push({ property: "contactId", reason: "[contactId] is required" });
  if (absent(news.inboxId)) failures.push({ property: "inboxId", reason: "[inboxId] is required" });
  return failures;
}

/**
 * A source id chosen here for inboxes where Chatwoot would mint a random one, so that creating
 * is repeatable (find-or-create on an explicit key). Elsewhere Chatwoot derives it from the
 * contact (email, phone), which is repeatable already.
 */
async function generatedSourceId(connection: Connection, inboxId: number): Promise<string | undefined> {
  return generatesRandomSourceIds(await inboxChannel(connection, inboxId)) ? randomUUID() : undefined;
}

function contactInboxId(outputs: ContactInboxOutputs): string {
  return `${outputs.inboxId}/${outputs.sourceId}`;
}

function hmacInput(recorded: ContactInboxOutputs): Record<string, unknown> {
  return recorded.hmacVerified === undefined ? {} : { hmacVerified: recorded.hmacVerified };
}
