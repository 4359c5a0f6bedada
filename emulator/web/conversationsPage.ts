import type { Store } from "../store/store";
import type { Account, ConversationStatus } from "../store/types";
import { accountHeader } from "./accountHeader";
import { pager } from "./components";
import { conversationTable } from "./conversationTable";
import { formatCount, STATUSES, statusCounts } from "./format";
import { markup, type SafeHtml } from "./html";
import { layout } from "./layout";
import { paginate, paginateMatching } from "./pagination";
import { accountPath, conversationsPath } from "./paths";

function statusFilters(account: Account, selected: ConversationStatus | undefined): SafeHtml {
  const counts = statusCounts(account);
  const link = (text: string, status: ConversationStatus | undefined): SafeHtml =>
    markup`<a class="${selected === status ? "active" : ""}" href="${conversationsPath(account.id, status)}">${text}</a>`;
  const all = link(`All (${formatCount(account.conversations.size)})`, undefined);
  const byStatus = STATUSES.map((status) => link(`${status} (${formatCount(counts[status])})`, status));
  return markup`<nav class="filters">${all}${byStatus}</nav>`;
}

/**
 * `/accounts/:id/conversations`: the account's conversations in display-id order (the order they
 * were created in), a page at a time, optionally of one status only (`?status=`).
 */
export function conversationsPage(
  store: Store,
  account: Account,
  status: ConversationStatus | undefined,
  page: number,
): string {
  const conversations = account.conversations.values();
  const window =
    status === undefined
      ? paginate(conversations, account.conversations.size, page)
      : paginateMatching(conversations, (conversation) => conversation.status === status, page);
  const navigation = pager(window, "conversations", (target) =>
    conversationsPath(account.id, status, target),
  );
  const bottom = window.pageCount > 1 ? navigation : null;
  const main = markup`${accountHeader(store, account, "conversations")}${statusFilters(account, status)}${navigation}${conversationTable(store, account, window.items, true)}${bottom}`;
  return layout({
    title: `${account.name}: conversations`,
    crumbs: [
      { label: "Accounts", href: "/" },
      { label: account.name, href: accountPath(account.id) },
      { label: "Conversations" },
    ],
    main,
  });
}
