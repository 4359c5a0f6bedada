import { internalServerError, parameterMissing, recordInvalid } from "../errors";
import { isBlank, isPlainObject } from "../http/rubyish";
import type { Store } from "../store/store";
import { secureToken, uuid } from "../store/store";
import type { Contact, ContactInbox, Inbox } from "../store/types";
import { checkColumnLength, TEXT_COLUMN_LIMIT, ValidationErrors } from "./validation";

/**
 * `ContactInboxBuilder#perform`. Thrown when the `(inbox_id, source_id)` unique index is already held by
 * another contact in an inbox type whose builder does not rewrite the old row (API, web widget):
 * each caller maps it to its own answer (500 for /contacts, 422 for /conversations).
 */
export class SourceIdTakenError extends Error {
  constructor() {
    super("RecordNotUnique: contact_inboxes (inbox_id, source_id)");
    this.name = "SourceIdTakenError";
  }
}

function generateSourceId(contact: Contact, inbox: Inbox): string {
  switch (inbox.channel.kind) {
    case "api":
    case "web_widget":
      return uuid();
    case "email":
      if (contact.email === null) throw parameterMissing("contact email");
      return contact.email;
    case "line":
      // `raise "Unsupported operation for this channel: ..."`: a RuntimeError, so a 500.
      throw internalServerError();
  }
}

/** `source_id` parameter → text column value. `@source_id ||= generate` only replaces nil and false. */
function requestedSourceId(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === false) return null;
  if (Array.isArray(raw) || isPlainObject(raw)) throw internalServerError();
  return String(raw);
}

/**
 * Find-or-create on `(contact, inbox, source_id)`. Returns `null` when the requested source id is
 * blank (the builder then silently creates nothing).
 */
export function buildContactInbox(
  store: Store,
  contact: Contact,
  inbox: Inbox,
  rawSourceId: unknown,
  hmacVerified: boolean,
): ContactInbox | null {
  const sourceId = requestedSourceId(rawSourceId) ?? generateSourceId(contact, inbox);
  if (isBlank(sourceId)) return null;

  const existing = store.contactInboxAt(inbox.id, sourceId);
  if (existing && existing.contact === contact) return existing;

  const errors = new ValidationErrors();
  checkColumnLength(errors, "source_id", sourceId, TEXT_COLUMN_LIMIT);
  if (!errors.empty) throw recordInvalid(errors);

  if (existing) {
    // Email inboxes move the old session aside (`"#{rand(10)}#{source_id}"`) and retry.
    if (inbox.channel.kind !== "email") throw new SourceIdTakenError();
    store.removeContactInbox(existing);
    existing.sourceId = `${Math.floor(Math.random() * 10)}${sourceId}`;
    existing.updatedAtMs = Date.now();
    store.insertContactInbox(existing);
  }

  const now = Date.now();
  const contactInbox: ContactInbox = {
    id: store.nextId("contact_inboxes"),
    contact,
    inbox,
    sourceId,
    hmacVerified,
    pubsubToken: secureToken(),
    createdAtMs: now,
    updatedAtMs: now,
  };
  store.insertContactInbox(contactInbox);
  return contactInbox;
}
