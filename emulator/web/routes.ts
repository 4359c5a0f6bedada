import type { RequestContext } from "../context";
import { HttpError } from "../errors";
import type { Reply } from "../http/reply";
import { normalisePath, Router } from "../http/router";
import type { Account } from "../store/types";
import { accountsPage } from "./accountsPage";
import { callbacksPage } from "./callbacksPage";
import { contactPage } from "./contactPage";
import { contactsPage } from "./contactsPage";
import { conversationPage } from "./conversationPage";
import { conversationsPage } from "./conversationsPage";
import { STATUSES } from "./format";
import { markup } from "./html";
import { layout } from "./layout";
import { requestedPage } from "./pagination";
import { accountPath, conversationsPath } from "./paths";

/**
 * The read-only web view's routes. They take no token: the emulator is a local sandbox (bound to
 * 127.0.0.1 by default), the pages only read, and they never show a token or secret.
 */

/**
 * Defence in depth on top of escaping: the pages run no script and load nothing, so even markup that
 * slipped through could not execute or send data anywhere.
 */
const PAGE_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  // The data changes with every API call; a cached page would show a stale state.
  "Cache-Control": "no-store",
};

function htmlReply(status: number, body: string): Reply {
  return { status, body, contentType: "text/html; charset=utf-8", headers: PAGE_HEADERS };
}

function notFoundPage(message: string, back: { href: string; label: string }): HttpError {
  const main = markup`<h1>Not found</h1><p class="sub">${message}</p><p><a href="${back.href}">${back.label}</a></p>`;
  return new HttpError(
    htmlReply(404, layout({ title: "Not found", crumbs: [{ label: "Not found" }], main })),
  );
}

/** Path ids are plain decimal numbers here: the view has no Rails `to_i` quirks to reproduce. */
function pathId(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

function findAccount(ctx: RequestContext): Account {
  const id = pathId(ctx.pathParams.accountId);
  const account = id === null ? undefined : ctx.state.store.accounts.get(id);
  if (!account) {
    throw notFoundPage(`There is no account ${ctx.pathParams.accountId ?? ""}.`, {
      href: "/",
      label: "All accounts",
    });
  }
  return account;
}

function pageOf(ctx: RequestContext): number {
  return requestedPage(ctx.params.page);
}

function showContact(ctx: RequestContext): Reply {
  const account = findAccount(ctx);
  const contactId = pathId(ctx.pathParams.contactId);
  const contact = contactId === null ? undefined : account.contacts.get(contactId);
  if (!contact) {
    throw notFoundPage(`${account.name} has no contact ${ctx.pathParams.contactId ?? ""}.`, {
      href: accountPath(account.id),
      label: "All contacts of the account",
    });
  }
  return htmlReply(200, contactPage(ctx.state.store, account, contact, pageOf(ctx)));
}

function showConversation(ctx: RequestContext): Reply {
  const account = findAccount(ctx);
  const displayId = pathId(ctx.pathParams.displayId);
  const conversation = displayId === null ? undefined : account.conversations.get(displayId);
  if (!conversation) {
    throw notFoundPage(`${account.name} has no conversation #${ctx.pathParams.displayId ?? ""}.`, {
      href: conversationsPath(account.id),
      label: "All conversations of the account",
    });
  }
  return htmlReply(200, conversationPage(ctx.state.store, account, conversation));
}

export function buildWebViewRouter(): Router {
  const router = new Router();
  router
    .add("GET", "/", (ctx) => htmlReply(200, accountsPage(ctx.state.store, ctx.state.webhooks.list())))
    .add("GET", "/accounts/:accountId", (ctx) => {
      const account = findAccount(ctx);
      return htmlReply(200, contactsPage(ctx.state.store, account, pageOf(ctx)));
    })
    .add("GET", "/accounts/:accountId/contacts/:contactId", showContact)
    .add("GET", "/accounts/:accountId/conversations", (ctx) => {
      const account = findAccount(ctx);
      const status = STATUSES.find((candidate) => candidate === ctx.params.status);
      return htmlReply(200, conversationsPage(ctx.state.store, account, status, pageOf(ctx)));
    })
    .add("GET", "/accounts/:accountId/conversations/:displayId", showConversation)
    .add("GET", "/accounts/:accountId/callbacks", (ctx) =>
      htmlReply(200, callbacksPage(findAccount(ctx), ctx.state.webhooks.list())),
    )
    // Chatwoot's dashboard URLs (the provider outputs the conversation one as `url`) open the same pages.
    .add("GET", "/app/accounts/:accountId/conversations/:displayId", showConversation)
    .add("GET", "/app/accounts/:accountId/contacts/:contactId", showContact);
  return router;
}

/**
 * Whether a request is the web view's: GET or HEAD of one of its paths. Everything else, every
 * `/api/…` path included, goes on to the API router and gets Chatwoot's answers (its 404 page).
 */
export function servesWebView(router: Router, method: string, pathname: string): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  if (pathname.startsWith("/api/") || pathname.startsWith("/__emulator")) return false;
  return router.match("GET", normalisePath(pathname)) !== undefined;
}
