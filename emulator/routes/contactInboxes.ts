import { accessAccount, authorizeInbox } from "../auth";
import type { RequestContext } from "../context";
import { buildContactInbox, SourceIdTakenError } from "../domain/contactInboxes";
import { internalServerError } from "../errors";
import { emptyReply, jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { castBoolean } from "../http/rubyish";
import type { ContactInbox } from "../store/types";
import { contactView } from "../views/contacts";
import { inboxSlimView } from "../views/inboxes";
import { findContact, findInbox } from "./support";

/** The only contact-inbox routes Chatwoot has: create for a contact, and a lookup by source id. */

const P = "/api/v1/accounts/:account_id";

/** `POST /contacts/:contact_id/contact_inboxes`: contact (404), then inbox (404) and its visibility (401). */
function createContactInbox(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contact_inboxes#create");
  const contact = findContact(access, ctx.pathParams.contact_id);
  const inbox = findInbox(access, ctx.params.inbox_id);
  authorizeInbox(access, inbox);
  const hmacVerified = castBoolean(ctx.params.hmac_verified) === true;
  let contactInbox: ContactInbox | null;
  try {
    contactInbox = buildContactInbox(ctx.state.store, contact, inbox, ctx.params.source_id, hmacVerified);
  } catch (error) {
    if (error instanceof SourceIdTakenError) throw internalServerError();
    throw error;
  }
  // A blank source id creates nothing and the view then dereferences nil.
  if (!contactInbox) throw internalServerError();
  return jsonReply(200, { source_id: contactInbox.sourceId, inbox: inboxSlimView(contactInbox.inbox) });
}

/** `POST /contact_inboxes/filter`: the owning contact, or 404 with an empty body. */
function filterContactInboxes(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contact_inboxes#filter");
  const inbox = findInbox(access, ctx.params.inbox_id);
  authorizeInbox(access, inbox);
  const sourceId = ctx.params.source_id;
  const contactInbox =
    typeof sourceId === "string" || typeof sourceId === "number"
      ? ctx.state.store.contactInboxAt(inbox.id, String(sourceId))
      : undefined;
  if (!contactInbox || contactInbox.contact.deleted) return emptyReply(404);
  return jsonReply(200, contactView(contactInbox.contact, true, ctx.state.store.release));
}

export function registerContactInboxRoutes(router: Router): void {
  router
    .add("POST", `${P}/contacts/:contact_id/contact_inboxes`, createContactInbox)
    .add("POST", `${P}/contact_inboxes/filter`, filterContactInboxes);
}
