import { InboxesApi } from "../chatwoot/inboxes";
import type { InboxJson } from "../chatwoot/schemas";
import type { Connection } from "../dynamic/context";

/** What never changes about an inbox: its id and its channel type. */
export type InboxChannel = Pick<InboxJson, "id" | "channel_type">;

/**
 * The channel of each inbox this process has read, by Chatwoot URL, account and inbox id.
 *
 * An inbox's channel is chosen when it is created and no route changes it: the update action
 * changes the inbox's own fields and its channel's settings, never which channel it is (chatwoot
 * app/controllers/api/v1/accounts/inboxes_controller.rb, `update` and `update_channel`, the same
 * in v4.0.0 and 4.14.2). So one read serves every resource of a command (the engine starts
 * a provider host per command), where a read per resource doubled a seed's inbox requests.
 * Only the channel is kept: everything else about an inbox can change within the same command (the
 * ApiInbox resource updates `lock_to_single_conversation`, say), and is read afresh where needed.
 */
const channels = new Map<string, Promise<InboxChannel>>();

export function inboxChannel(connection: Connection, inboxId: number): Promise<InboxChannel> {
  const key = `${connection.settings.url.href}|${connection.accountId}|${inboxId}`;
  const known = channels.get(key);
  if (known !== undefined) return known;
  const read = new InboxesApi(connection.client, connection.accountId)
    .get(inboxId)
    .then((inbox): InboxChannel => ({ id: inbox.id, channel_type: inbox.channel_type }));
  channels.set(key, read);
  // A failed read is not remembered: the next resource asks again.
  read.catch(() => channels.delete(key));
  return read;
}
