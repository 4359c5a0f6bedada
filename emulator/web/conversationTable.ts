import type { Store } from "../store/store";
import type { Account, Conversation, Message } from "../store/types";
import { labelColours, labelList, priorityBadge, statusBadge, valueOrDash } from "./components";
import { assigneeName, contactName, formatCount, teamName, truncate } from "./format";
import { markup, type SafeHtml } from "./html";
import { contactPath, conversationPath } from "./paths";

function lastReadableMessage(conversation: Conversation): Message | undefined {
  for (let index = conversation.messages.length - 1; index >= 0; index -= 1) {
    const message = conversation.messages[index];
    if (message && message.messageType !== "activity" && message.content !== null) return message;
  }
  return undefined;
}

function conversationRow(
  store: Store,
  account: Account,
  conversation: Conversation,
  colours: Map<string, string>,
  withContact: boolean,
): SafeHtml {
  const contact = conversation.contact;
  const contactCell = withContact
    ? markup`<td class="wrap"><a href="${contactPath(account.id, contact.id)}">${contactName(contact)}</a></td>`
    : null;
  const last = lastReadableMessage(conversation)?.content;
  return markup`<tr class="conversation-row">
<td><a href="${conversationPath(account.id, conversation.displayId)}">#${conversation.displayId}</a></td>${contactCell}
<td>${statusBadge(conversation.status)}</td>
<td>${priorityBadge(conversation.priority)}</td>
<td>${valueOrDash(assigneeName(store, account, conversation))}</td>
<td>${valueOrDash(teamName(account, conversation))}</td>
<td>${labelList(conversation.labels, colours)}</td>
<td class="num">${formatCount(conversation.messages.length)}</td>
<td class="wrap muted">${last !== undefined && last !== null ? truncate(last, 80) : "—"}</td>
</tr>`;
}

/** One row per conversation: status, priority, assignee, team, labels and the last message. */
export function conversationTable(
  store: Store,
  account: Account,
  conversations: readonly Conversation[],
  withContact: boolean,
): SafeHtml {
  if (conversations.length === 0) return markup`<div class="empty">No conversations here.</div>`;
  const colours = labelColours(account);
  const contactHeading = withContact ? markup`<th>Contact</th>` : null;
  const rows = conversations.map((conversation) =>
    conversationRow(store, account, conversation, colours, withContact),
  );
  return markup`<table class="conversations">
<thead><tr><th>#</th>${contactHeading}<th>Status</th><th>Priority</th><th>Assignee</th><th>Team</th><th>Labels</th><th class="num">Msgs</th><th>Last message</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}
