import { accessAccount, canSeeInbox, requireAdmin, type AccountAccess } from "../auth";
import type { RequestContext } from "../context";
import { buildContactInbox, SourceIdTakenError } from "../domain/contactInboxes";
import {
  createContact,
  isResolvedContact,
  readContactInput,
  replaceCustomAttributes,
  updateContact,
} from "../domain/contacts";
import { parseTagList, hasAnyTag } from "../domain/tags";
import { internalServerError, unprocessable } from "../errors";
import { buildContactFilter } from "../filters/contactFilter";
import { definitionLookup } from "../filters/customAttributes";
import { jsonText } from "../filters/engine";
import { emptyReply, jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { isBlank, isPresent, rubyToI } from "../http/rubyish";
import { uuid } from "../store/store";
import type { Contact, ContactInbox } from "../store/types";
import { contactView } from "../views/contacts";
import { inboxRecordView, inboxSlimView } from "../views/inboxes";
import { compareText, findContact, findInbox, kaminariPage, likePattern, paginate } from "./support";

const P = "/api/v1/accounts/:account_id";
const RESULTS_PER_PAGE = 15;

/** `ContactsController#set_include_contact_inboxes`: only the string "true" keeps them once the param is present. */
function includeContactInboxes(ctx: RequestContext): boolean {
  const raw = ctx.params.include_contact_inboxes;
  return isPresent(raw) ? raw === "true" : true;
}

/** `params[:page] || 1`: echoed as given (a string from a query string). */
function currentPage(ctx: RequestContext): unknown {
  const page = ctx.params.page;
  return page === undefined || page === null || page === false ? 1 : page;
}

type SortKey = (contact: Contact) => string | number | null;

/** Sift `sort_on` declarations; `nullsLast` for the scopes that say `NULLS LAST`. */
const SORTS: Record<string, { key: SortKey; nullsLast: boolean }> = {
  email: { key: (contact) => contact.email, nullsLast: false },
  phone_number: { key: (contact) => contact.phoneNumber, nullsLast: false },
  name: { key: (contact) => (contact.name === null ? null : contact.name.toLowerCase()), nullsLast: false },
  last_activity_at: { key: (contact) => contact.lastActivityAtMs, nullsLast: true },
  created_at: { key: (contact) => contact.createdAtMs, nullsLast: true },
  company_name: { key: (contact) => jsonText(contact.additionalAttributes.company_name), nullsLast: true },
  city: { key: (contact) => jsonText(contact.additionalAttributes.city), nullsLast: true },
  country: { key: (contact) => jsonText(contact.additionalAttributes.country), nullsLast: true },
};

function compareValues(left: string | number, right: string | number): number {
  if (typeof left === "number" && typeof right === "number") return left - right;
  return compareText(String(left), String(right));
}

/** Applies `?sort=name,-email`; unknown fields are ignored, ties keep insertion (id) order. */
export function sortContacts(contacts: Contact[], sortParam: unknown): Contact[] {
  if (typeof sortParam !== "string" || sortParam.trim() === "") return contacts;
  const orderings = sortParam
    .split(",")
    .map((field) => field.trim())
    .map((field) => {
      const descending = field.startsWith("-");
      const sort = SORTS[descending ? field.slice(1) : field];
      return sort ? { ...sort, descending } : null;
    })
    .filter(
      (ordering): ordering is { key: SortKey; nullsLast: boolean; descending: boolean } => ordering !== null,
    );
  if (orderings.length === 0) return contacts;
  return [...contacts].sort((left, right) => {
    for (const { key, nullsLast, descending } of orderings) {
      const a = key(left);
      const b = key(right);
      if (a === null || b === null) {
        if (a === b) continue;
        // Postgres: NULLs sort as the largest value unless the scope says NULLS LAST.
        const nullFirst = nullsLast ? false : descending;
        return (a === null) === nullFirst ? -1 : 1;
      }
      const compared = compareValues(a, b);
      if (compared !== 0) return descending ? -compared : compared;
    }
    return left.id - right.id;
  });
}

function listReply(ctx: RequestContext, contacts: Contact[], count: number): Reply {
  const withInboxes = includeContactInboxes(ctx);
  return jsonReply(200, {
    meta: { count, current_page: currentPage(ctx) },
    payload: contacts.map((contact) => contactView(contact, withInboxes, ctx.state.store.release)),
  });
}

function index(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contacts#index");
  const labels = ctx.params.labels;
  const wanted = isPresent(labels) ? parseTagList(labels) : null;
  const resolved: Contact[] = [];
  for (const contact of access.account.contacts.values()) {
    if (!isResolvedContact(contact)) continue;
    if (wanted && !hasAnyTag(contact.labels, wanted)) continue;
    resolved.push(contact);
  }
  const sorted = sortContacts(resolved, ctx.params.sort);
  return listReply(ctx, paginate(sorted, kaminariPage(ctx.params.page), RESULTS_PER_PAGE), sorted.length);
}

/** `ILIKE` on name/email/phone and case-sensitive `LIKE` on identifier, 15 per page, `has_more`. */
function search(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contacts#search");
  const query = ctx.params.q;
  if (isBlank(query)) {
    // The intended 422 never fires (Ruby precedence); the view renders with nothing assigned.
    return jsonReply(200, {
      meta: { count: null, current_page: currentPage(ctx), has_more: null },
      payload: [],
    });
  }
  const needle = String(query).trim();
  const insensitive = likePattern(`%${needle}%`, true);
  const sensitive = likePattern(`%${needle}%`, false);
  const matches = [...access.account.contacts.values()].filter(
    (contact) =>
      (contact.name !== null && insensitive.test(contact.name)) ||
      (contact.email !== null && insensitive.test(contact.email)) ||
      (contact.phoneNumber !== null && insensitive.test(contact.phoneNumber)) ||
      (contact.identifier !== null && sensitive.test(contact.identifier)),
  );
  const offset = (rubyToI(currentPage(ctx)) - 1) * RESULTS_PER_PAGE;
  if (offset < 0) throw internalServerError(); // Postgres: OFFSET must not be negative
  const sorted = sortContacts(matches, ctx.params.sort);
  const window = sorted.slice(offset, offset + RESULTS_PER_PAGE + 1);
  const hasMore = window.length > RESULTS_PER_PAGE;
  const page = window.slice(0, RESULTS_PER_PAGE);
  const withInboxes = includeContactInboxes(ctx);
  return jsonReply(200, {
    meta: { count: page.length, current_page: currentPage(ctx), has_more: hasMore },
    payload: page.map((contact) => contactView(contact, withInboxes, ctx.state.store.release)),
  });
}

function filter(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contacts#filter");
  const release = ctx.state.store.release;
  const predicate = buildContactFilter(ctx.params.payload, release, definitionLookup(access.account));
  // `base_relation`: resolved contacts only from the release that narrowed it, every contact before.
  const matches = [...access.account.contacts.values()].filter(
    (contact) =>
      (!release.contactFilterOnlyResolved || isResolvedContact(contact)) && predicate(contact) === true,
  );
  const sorted = sortContacts(matches, ctx.params.sort);
  return listReply(ctx, paginate(sorted, kaminariPage(ctx.params.page), RESULTS_PER_PAGE), sorted.length);
}

/** Contacts online on the web widget: the emulator has no live widget sessions. */
function active(ctx: RequestContext): Reply {
  accessAccount(ctx, "contacts#active");
  return listReply(ctx, [], 0);
}

function show(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contacts#show");
  const contact = findContact(access, ctx.pathParams.id);
  return jsonReply(200, {
    payload: contactView(contact, includeContactInboxes(ctx), ctx.state.store.release),
  });
}

function create(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contacts#create");
  const { store } = ctx.state;
  const contact = createContact(store, access.account, readContactInput(ctx.params));
  let contactInbox: ContactInbox | null = null;
  try {
    if (isPresent(ctx.params.inbox_id)) {
      const inbox = findInbox(access, ctx.params.inbox_id);
      contactInbox = buildContactInbox(store, contact, inbox, ctx.params.source_id, false);
    }
  } catch (error) {
    // The contact is created in the same transaction as its contact inbox: roll both back.
    store.unindexContact(access.account, contact);
    access.account.contacts.delete(contact.id);
    for (const created of [...contact.contactInboxes]) store.removeContactInbox(created);
    if (error instanceof SourceIdTakenError) throw internalServerError();
    throw error;
  }
  return jsonReply(200, {
    payload: {
      contact: contactView(contact, true, ctx.state.store.release),
      contact_inbox: {
        inbox: contactInbox ? inboxRecordView(contactInbox.inbox) : null,
        source_id: contactInbox ? contactInbox.sourceId : null,
      },
    },
  });
}

function update(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contacts#update");
  const contact = findContact(access, ctx.pathParams.id);
  updateContact(ctx.state.store, access.account, contact, readContactInput(ctx.params));
  return jsonReply(200, {
    payload: contactView(contact, includeContactInboxes(ctx), ctx.state.store.release),
  });
}

/**
 * Administrator only, checked before the lookup. The contact row goes at once; its contact inboxes,
 * conversations and messages follow in the background (`dependent: :destroy_async`).
 */
function destroy(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contacts#destroy");
  requireAdmin(access);
  const contact = findContact(access, ctx.pathParams.id);
  const { store, scheduler, settings } = ctx.state;
  store.unindexContact(access.account, contact);
  access.account.contacts.delete(contact.id);
  contact.deleted = true;
  scheduler.later(settings.cascadeDeleteDelayMs, () => {
    for (const conversation of [...contact.conversations])
      store.removeConversation(access.account, conversation);
    for (const contactInbox of [...contact.contactInboxes]) store.removeContactInbox(contactInbox);
  });
  return emptyReply();
}

/** `Contacts::ContactableInboxesService`, filtered by what the caller may see. */
function contactableInboxes(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contacts#contactable_inboxes");
  const contact = findContact(access, ctx.pathParams.id);
  const payload: Record<string, unknown>[] = [];
  for (const inbox of access.account.inboxes.values()) {
    const latest = [...contact.contactInboxes].reverse().find((contactInbox) => contactInbox.inbox === inbox);
    let sourceId: string | null = null;
    switch (inbox.channel.kind) {
      case "api":
        sourceId = latest ? latest.sourceId : uuid();
        break;
      case "web_widget":
        if (latest && !contact.conversations.some((conversation) => conversation.contactInbox === latest)) {
          sourceId = latest.sourceId;
        }
        break;
      case "email":
        sourceId = isPresent(contact.email) ? contact.email : null;
        break;
    }
    if (sourceId === null || !canSeeInbox(access, inbox)) continue;
    payload.push({ inbox: inboxSlimView(inbox), source_id: sourceId });
  }
  return jsonReply(200, { payload });
}

/** Removes the listed keys from `custom_attributes` (a key or an array of keys). */
function destroyCustomAttributes(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contacts#destroy_custom_attributes");
  const contact = findContact(access, ctx.pathParams.id);
  const raw = ctx.params.custom_attributes;
  const keys = (Array.isArray(raw) ? raw.flat(1) : [raw]).map((key) =>
    typeof key === "string" ? key : null,
  );
  const remaining = Object.fromEntries(
    Object.entries(contact.customAttributes).filter(([key]) => !keys.includes(key)),
  );
  replaceCustomAttributes(ctx.state.store, access.account, contact, remaining);
  return jsonReply(200, { payload: contactView(contact, true, ctx.state.store.release) });
}

/** The emulator stores no avatars, so there is never one to purge. */
function deleteAvatar(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contacts#avatar");
  const contact = findContact(access, ctx.pathParams.id);
  return jsonReply(200, { payload: contactView(contact, false, ctx.state.store.release) });
}

function adminOnly(action: string): (ctx: RequestContext) => AccountAccess {
  return (ctx) => {
    const access = accessAccount(ctx, action);
    requireAdmin(access);
    return access;
  };
}

function importContacts(ctx: RequestContext): Reply {
  adminOnly("contacts#import")(ctx);
  if (isBlank(ctx.params.import_file)) throw unprocessable("File is blank");
  return emptyReply();
}

function exportContacts(ctx: RequestContext): Reply {
  adminOnly("contacts#export")(ctx);
  return emptyReply();
}

export function registerContactRoutes(router: Router): void {
  router
    .add("GET", `${P}/contacts`, index)
    .add("POST", `${P}/contacts`, create)
    .add("GET", `${P}/contacts/search`, search)
    .add("POST", `${P}/contacts/filter`, filter)
    .add("GET", `${P}/contacts/active`, active)
    .add("POST", `${P}/contacts/import`, importContacts)
    .add("POST", `${P}/contacts/export`, exportContacts)
    .add("GET", `${P}/contacts/:id`, show)
    .add("PATCH", `${P}/contacts/:id`, update)
    .add("PUT", `${P}/contacts/:id`, update)
    .add("DELETE", `${P}/contacts/:id`, destroy)
    .add("GET", `${P}/contacts/:id/contactable_inboxes`, contactableInboxes)
    .add("POST", `${P}/contacts/:id/destroy_custom_attributes`, destroyCustomAttributes)
    .add("DELETE", `${P}/contacts/:id/avatar`, deleteAvatar);
}
