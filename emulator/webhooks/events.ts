import type { Store } from "../store/store";
import type { Account, Conversation, Message } from "../store/types";
import type { WebhookDeliveries } from "./deliveries";
import { ChangedAttributes, conversationWebhookData, messageWebhookData, webhookSendable } from "./payloads";

/** What the domain reports after a change, as Chatwoot's models dispatch events after commit. */
export type DomainEvent =
  | { readonly name: "message_created" | "message_updated"; readonly message: Message }
  | { readonly name: "conversation_created"; readonly conversation: Conversation }
  | {
      readonly name: "conversation_status_changed" | "conversation_updated";
      readonly conversation: Conversation;
      readonly changedAttributes: ChangedAttributes | null;
    };

/**
 * `WebhookListener`'s handling of one event for the conversation's or message's inbox
 * (`deliver_api_inbox_webhooks`): nothing unless it is an API inbox with a webhook URL, and for
 * messages only the `webhook_sendable?` ones. A failed message delivery marks the message failed,
 * which is itself a `message_updated` (`Messages::StatusUpdateService` → `after_update_commit`);
 * a second failure with the same error changes nothing, so that chain stops there.
 */
export function sendApiInboxCallback(
  store: Store,
  deliveries: WebhookDeliveries,
  account: Account,
  event: DomainEvent,
): void {
  const conversation = "message" in event ? event.message.conversation : event.conversation;
  const inbox = conversation.inbox;
  const channel = inbox.channel;
  if (channel.kind !== "api" || channel.webhookUrl === null || channel.webhookUrl.trim() === "") return;
  if ("message" in event && !webhookSendable(event.message)) return;
  const now = Date.now();
  let payload: Record<string, unknown>;
  let onFailure: ((error: string) => void) | undefined;
  if ("message" in event) {
    const message = event.message;
    payload = { ...messageWebhookData(account, inbox, message, store, now), event: event.name };
    onFailure = (error) => {
      if (message.status === "failed" && message.contentAttributes.external_error === error) return;
      message.status = "failed";
      message.contentAttributes.external_error = error;
      message.updatedAtMs = Date.now();
      sendApiInboxCallback(store, deliveries, account, { name: "message_updated", message });
    };
  } else {
    payload = { ...conversationWebhookData(account, conversation, store, now), event: event.name };
    if (event.name !== "conversation_created") payload.changed_attributes = event.changedAttributes;
  }
  deliveries.deliver({
    event: event.name,
    accountId: account.id,
    inboxId: inbox.id,
    url: channel.webhookUrl,
    secret: channel.secret,
    payload,
    ...(onFailure === undefined ? {} : { onFailure }),
  });
}
