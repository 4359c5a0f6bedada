import { ContactInboxesApi } from "../chatwoot/contactInboxes";
import { sourceIdNeededReason } from "../chatwoot/inboxes";
import type { Connection } from "../dynamic/context";
import { ProviderError } from "./errors";
import { inboxChannel } from "./inboxChannels";

/**
 * Refuses, before anything is written, a contact inbox that Chatwoot would answer with a bare 500
 * (which a retry only repeats): a source id another contact holds in the inbox (the unique index
 * on contact_inboxes (inbox_id, source_id)), or none at all in an inbox that cannot generate one
 * (chatwoot app/builders/contact_inbox_builder.rb).
 * `contactId` is the contact the session is for, when it exists already.
 */
export async function refuseImpossibleSession(
  connection: Connection,
  session: { inboxId: number; sourceId: string | undefined; contactId: number | undefined },
): Promise<void> {
  const { inboxId, sourceId, contactId } = session;
  if (sourceId === undefined) {
    await refuseMissingSourceId(connection, inboxId);
    return;
  }
  const owner = await sessionOwner(connection, inboxId, sourceId);
  if (owner !== undefined && owner !== contactId) throw sessionTakenError(inboxId, sourceId, owner);
}

/** Fails when the inbox's channel cannot make a contact inbox without a source id. */
export async function refuseMissingSourceId(connection: Connection, inboxId: number): Promise<void> {
  const reason = sourceIdNeededReason(await inboxChannel(connection, inboxId));
  if (reason !== undefined) throw new ProviderError(`[sourceId] is required: ${reason}`);
}

/** The id of the contact holding `sourceId` in the inbox, if any does. */
export async function sessionOwner(
  connection: Connection,
  inboxId: number,
  sourceId: string,
): Promise<number | undefined> {
  const owner = await new ContactInboxesApi(connection.client, connection.accountId).findOwner(
    inboxId,
    sourceId,
  );
  return owner?.id;
}

export function sessionTakenError(inboxId: number, sourceId: string, ownerId: number): ProviderError {
  return new ProviderError(
    `[sourceId] "${sourceId}" is already used in inbox ${inboxId} by contact ${ownerId}; Chatwoot keeps ` +
      `source ids unique per inbox (and answers 500 "Internal Server Error" for a second one). Choose ` +
      `another sourceId, or leave it out to generate one.`,
  );
}
