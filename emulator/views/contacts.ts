import type { ReleaseProfile } from "../releases";
import type { Contact } from "../store/types";
import { contactInboxView } from "./inboxes";
import { unixSeconds } from "./time";

/**
 * `_contact.json.jbuilder`. `last_activity_at` is omitted while null; `contact_inboxes` only where
 * the /contacts endpoints ask for them (never inside conversation `meta.sender`); `blocked` only
 * from the release that added it.
 */
export function contactView(
  contact: Contact,
  withContactInboxes: boolean,
  release: ReleaseProfile,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    additional_attributes: contact.additionalAttributes,
    availability_status: "offline",
    email: contact.email,
    id: contact.id,
    name: contact.name,
    phone_number: contact.phoneNumber,
    ...(release.contactJsonHasBlocked ? { blocked: contact.blocked } : {}),
    identifier: contact.identifier,
    thumbnail: "",
    custom_attributes: contact.customAttributes,
  };
  if (contact.lastActivityAtMs !== null) view.last_activity_at = unixSeconds(contact.lastActivityAtMs);
  view.created_at = unixSeconds(contact.createdAtMs);
  if (withContactInboxes) view.contact_inboxes = contact.contactInboxes.map(contactInboxView);
  return view;
}

/** `Contact#push_event_data`: the contact as a message sender or in messages' `meta.contact`. */
export function contactPushData(contact: Contact): Record<string, unknown> {
  return {
    additional_attributes: contact.additionalAttributes,
    custom_attributes: contact.customAttributes,
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phoneNumber,
    thumbnail: "",
    blocked: contact.blocked,
    type: "contact",
  };
}
