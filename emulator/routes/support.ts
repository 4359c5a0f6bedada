import type { AccountAccess } from "../auth";
import type { RequestContext } from "../context";
import type { DomainContext } from "../domain/conversations";
import { notFound } from "../errors";
import { isPlainObject, rubyToI, toRecordId, type JsonObject } from "../http/rubyish";
import type { Contact, Inbox } from "../store/types";
import type { Viewer } from "../views/conversations";
import { sendApiInboxCallback } from "../webhooks/events";

export { likePattern } from "../filters/like";

/** Shared plumbing for the route modules. */

export function domainContext(ctx: RequestContext, access: AccountAccess): DomainContext {
  return {
    store: ctx.state.store,
    account: access.account,
    messagesPerMinuteLimit: ctx.state.settings.messagesPerMinuteLimit,
    defer: (job) => {
      ctx.deferred.push(job);
    },
    emit: (event) => {
      const { store, webhooks } = ctx.state;
      ctx.deferred.push(() => sendApiInboxCallback(store, webhooks, access.account, event));
    },
  };
}

export function viewerOf(access: AccountAccess): Viewer {
  return { userId: access.user?.id ?? null };
}

/** `Current.account.contacts.find(id)`. */
export function findContact(access: AccountAccess, rawId: unknown): Contact {
  const id = toRecordId(rawId);
  const contact = id === null ? undefined : access.account.contacts.get(id);
  if (!contact) throw notFound();
  return contact;
}

/** `Current.account.inboxes.find(id)`. */
export function findInbox(access: AccountAccess, rawId: unknown): Inbox {
  const id = toRecordId(rawId);
  const inbox = id === null ? undefined : access.account.inboxes.get(id);
  if (!inbox) throw notFound();
  return inbox;
}

/**
 * Rails' JSON parameter wrapping: top-level body keys that are attributes of the controller's model
 * are copied under the model key, unless the body already has that key.
 */
export function wrappedParams(
  ctx: RequestContext,
  key: string,
  attributes: readonly string[] | null,
): unknown {
  if (ctx.params[key] !== undefined || !ctx.bodyIsJson) return ctx.params[key];
  const wrapped: JsonObject = {};
  for (const [name, value] of Object.entries(ctx.bodyParams)) {
    if (attributes === null || attributes.includes(name)) wrapped[name] = value;
  }
  return wrapped;
}

/** `params.require(key)`: a non-blank hash, else `ParameterMissing`. */
export function requireHash(value: unknown): JsonObject | null {
  return isPlainObject(value) && Object.keys(value).length > 0 ? value : null;
}

/** Kaminari's page number: `to_i`, and anything below 1 is page 1. */
export function kaminariPage(raw: unknown): number {
  const page = rubyToI(raw);
  return page < 1 ? 1 : page;
}

export function paginate<T>(items: readonly T[], page: number, perPage: number): T[] {
  const start = (page - 1) * perPage;
  return items.slice(start, start + perPage);
}

/** Compares like Postgres ORDER BY with the default collation, close enough for lists. */
export function compareText(left: string, right: string): number {
  return left.localeCompare(right, "en");
}
