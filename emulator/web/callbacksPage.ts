import type { Account } from "../store/types";
import type { DeliveryRecord } from "../webhooks/deliveries";
import { formatCount, formatTime, truncate } from "./format";
import { markup, type SafeHtml } from "./html";
import { layout } from "./layout";
import { accountPath, conversationPath } from "./paths";

/** How many callbacks the page lists, newest first. */
const SHOWN = 200;

function conversationOf(record: DeliveryRecord): number | null {
  try {
    const payload = JSON.parse(record.body) as { id?: unknown; conversation?: { id?: unknown } };
    const id = record.event.startsWith("message_") ? payload.conversation?.id : payload.id;
    return typeof id === "number" ? id : null;
  } catch {
    return null;
  }
}

function row(account: Account, record: DeliveryRecord): SafeHtml {
  const conversation = conversationOf(record);
  const inbox = account.inboxes.get(record.inboxId);
  const result =
    record.outcome === "delivered"
      ? markup`<span class="badge status-open">delivered ${record.httpStatus ?? ""}</span>`
      : record.outcome === "pending"
        ? markup`<span class="muted">pending</span>`
        : markup`<span class="badge priority-urgent">${record.outcome}</span> ${record.error ?? ""}`;
  return markup`<tr class="callback">
<td>${formatTime(record.queuedAtMs)}</td>
<td><code>${record.event}</code></td>
<td>${conversation === null ? markup`<span class="muted">—</span>` : markup`<a href="${conversationPath(account.id, conversation)}">#${conversation}</a>`}</td>
<td>${inbox ? inbox.name : `#${record.inboxId}`}</td>
<td>${truncate(record.url, 60)}</td>
<td>${result}</td>
</tr>`;
}

/**
 * `/accounts/:id/callbacks`: the callbacks sent to the account's API inboxes' webhook URLs. It
 * shows where each went and how it ended, never a payload's keys or the signing secret.
 */
export function callbacksPage(account: Account, deliveries: readonly DeliveryRecord[]): string {
  const mine = deliveries.filter((record) => record.accountId === account.id);
  const byEvent = new Map<string, number>();
  for (const record of mine) byEvent.set(record.event, (byEvent.get(record.event) ?? 0) + 1);
  const counts = [...byEvent.entries()].map(
    ([event, count]) => markup`<code>${event}</code> ${formatCount(count)} `,
  );
  const rows = mine
    .slice(-SHOWN)
    .reverse()
    .map((record) => row(account, record));
  const main = markup`<h1>Callbacks</h1>
<p class="sub">${formatCount(mine.length)} sent to API inbox webhook URLs${mine.length > SHOWN ? `, the newest ${SHOWN} shown` : ""}. ${counts}</p>
<table class="callbacks">
<thead><tr><th>Queued</th><th>Event</th><th>Conversation</th><th>Inbox</th><th>URL</th><th>Result</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
  return layout({
    title: `Callbacks · ${account.name}`,
    crumbs: [
      { label: "Accounts", href: "/" },
      { label: account.name, href: accountPath(account.id) },
      { label: "Callbacks" },
    ],
    main,
  });
}
