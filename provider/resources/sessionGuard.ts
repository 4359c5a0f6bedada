import { ContactInboxesApi } from "../chatwoot/contactInboxes";
import { InboxesApi, sourceIdNeededReason } from "../chatwoot/inboxes";
import type { Connection } from "../dynamic/context";
import { ProviderError } from "./errors";

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
    const inbox = await new InboxesApi(connection.client, connection.accountId).get(inboxId);
    const reason = sourceIdNeededReason(inbox);
    if (reason !== undefined) throw new ProviderError(`[sourceId] is required: ${reason}`);
    return;
  }
  const owner = await new ContactInboxesApi(connection.client, connection.accountId).findOwner(
    inboxId,
    sourceId,
  );
  if (owner !== undefined && owner.id !== contactId) {
    throw new ProviderError(
      `[sourceId] "${sourceId}" is already used in inbox ${inboxId} by contact ${owner.id}; Chatwoot keeps ` +
        `source ids unique per inbox (and answers 500 "Internal Server Error" for a second one). Choose ` +
        `another sourceId, or leave it out to generate one.`,
    );
  }
}
