import type { Store } from "../store/store";
import type { Account } from "../store/types";
import { statusBadge } from "./components";
import { formatCount, STATUSES, statusCounts } from "./format";
import { markup, type SafeHtml } from "./html";
import { layout } from "./layout";
import { accountPath, callbacksPath, conversationsPath } from "./paths";
import type { DeliveryRecord } from "../webhooks/deliveries";

function accountRow(store: Store, account: Account, deliveries: readonly DeliveryRecord[]): SafeHtml {
  const callbacks = deliveries.filter((record) => record.accountId === account.id).length;
  const summary = store.summary(account);
  const counts = statusCounts(account);
  const breakdown = STATUSES.filter((status) => counts[status] > 0).map(
    (status) =>
      markup`<a href="${conversationsPath(account.id, status)}">${statusBadge(status)} ${formatCount(counts[status])}</a> `,
  );
  return markup`<tr class="account">
<td><a href="${accountPath(account.id)}">${account.name}</a></td>
<td class="num">${account.id}</td>
<td class="num">${formatCount(summary.contacts)}</td>
<td class="num"><a href="${conversationsPath(account.id)}">${formatCount(summary.conversations)}</a></td>
<td>${breakdown.length > 0 ? breakdown : markup`<span class="muted">—</span>`}</td>
<td class="num">${formatCount(summary.messages)}</td>
<td class="num">${formatCount(account.inboxes.size)}</td>
<td class="num"><a href="${callbacksPath(account.id)}">${formatCount(callbacks)}</a></td>
</tr>`;
}

/** `/`: every account with its counts, the way into the rest of the view. */
export function accountsPage(store: Store, deliveries: readonly DeliveryRecord[]): string {
  const rows = [...store.accounts.values()].map((account) => accountRow(store, account, deliveries));
  const main = markup`<h1>Accounts</h1>
<p class="sub">Everything the emulator holds in memory. Data changes only through the API; reload to see it.</p>
<table class="accounts">
<thead><tr><th>Account</th><th class="num">Id</th><th class="num">Contacts</th><th class="num">Conversations</th><th>By status</th><th class="num">Messages</th><th class="num">Inboxes</th><th class="num">Callbacks</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
  return layout({ title: "Accounts", crumbs: [{ label: "Accounts" }], main });
}
