import type { ContactJson, InboxJson } from "../../chatwoot/schemas";
import type { SeedMessage } from "./spec";

/**
 * The seeded messages Chatwoot emails to the contact: public outgoing ones
 * (chatwoot app/models/message.rb, `email_notifiable_message?`; the provider posts no templates).
 */
export function emailedMessageIndexes(
  messages: readonly SeedMessage[],
  indexes: readonly number[],
): number[] {
  return indexes.filter((index) => {
    const message = messages[index];
    return message !== undefined && message.messageType === "outgoing" && message.private !== true;
  });
}

/**
 * Whether Chatwoot sends the contact an email for those messages: in a website inbox with
 * "continuity via email" on (the default) when the contact has an email address
 * (chatwoot app/services/messages/send_email_notification_service.rb). API inboxes do the same
 * only with the account feature `email_continuity_on_api_channel`, which the API does not show
 * to the provider; the README says so.
 */
export function emailsContact(inbox: InboxJson, contact: ContactJson | undefined): contact is ContactJson {
  return (
    inbox.channel_type === "Channel::WebWidget" &&
    inbox.continuity_via_email !== false &&
    typeof contact?.email === "string" &&
    contact.email.trim() !== ""
  );
}

export function emailWarning(
  conversationId: number,
  inbox: InboxJson,
  contact: ContactJson,
  indexes: readonly number[],
): string {
  const which = indexes.map((index) => `messages[${index}]`).join(", ");
  return (
    `Conversation ${conversationId}: Chatwoot will email the outgoing seeded message(s) ${which} to the ` +
    `contact's address ${contact.email ?? ""}, because inbox ${inbox.id} is a website inbox with ` +
    `"continuity via email" on (chatwoot app/services/messages/send_email_notification_service.rb). ` +
    `If that is a real person, seed with contacts whose email you own, or turn the inbox's ` +
    `continuity via email off.`
  );
}
