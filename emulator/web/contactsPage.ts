import type { Store } from "../store/store";
import type { Account, Contact } from "../store/types";
import { accountHeader } from "./accountHeader";
import { labelColours, labelList, pager, statusBadge, valueOrDash } from "./components";
import { attributePairs, contactName, formatCount, truncate } from "./format";
import { markup, type SafeHtml } from "./html";
import { layout } from "./layout";
import { paginate } from "./pagination";
import { accountPath, contactPath, conversationPath } from "./paths";

/** Conversations shown per contact row; the rest are one click away on the contact's page. */
const MAX_CONVERSATION_CHIPS = 8;

function conversationChips(account: Account, contact: Contact): SafeHtml {
  const conversations = contact.conversations;
  if (conversations.length === 0) return markup`<span class="muted">—</span>`;
  const chips = conversations
    .slice(0, MAX_CONVERSATION_CHIPS)
    .map(
      (conversation) =>
        markup`<a class="chip" href="${conversationPath(account.id, conversation.displayId)}">#${conversation.displayId} ${statusBadge(conversation.status)}</a>`,
    );
  const hidden = conversations.length - MAX_CONVERSATION_CHIPS;
  const more =
    hidden > 0
      ? markup`<a href="${contactPath(account.id, contact.id)}">+${formatCount(hidden)} more</a>`
      : null;
  return markup`<span class="chips">${chips}${more}</span>`;
}

function contactRow(account: Account, contact: Contact, colours: Map<string, string>): SafeHtml {
  const attributes = attributePairs(contact.customAttributes)
    .map(([key, value]) => `${key}: ${value}`)
    .join(" · ");
  const blocked = contact.blocked ? markup` <span class="tag">blocked</span>` : null;
  const subline = `id ${contact.id}${attributes !== "" ? ` · ${truncate(attributes, 120)}` : ""}`;
  return markup`<tr class="contact" id="contact-${contact.id}">
<td class="wrap"><div class="name"><a href="${contactPath(account.id, contact.id)}">${contactName(contact)}</a>${blocked}</div><div class="muted small">${subline}</div></td>
<td class="wrap email">${valueOrDash(contact.email)}</td>
<td class="phone">${valueOrDash(contact.phoneNumber)}</td>
<td class="wrap identifier">${valueOrDash(contact.identifier)}</td>
<td class="contact-labels">${labelList(contact.labels, colours)}</td>
<td class="contact-conversations">${conversationChips(account, contact)}</td>
</tr>`;
}

/** `/accounts/:id`: the account's contacts in creation order, a page at a time, each with its conversations. */
export function contactsPage(store: Store, account: Account, page: number): string {
  const window = paginate(account.contacts.values(), account.contacts.size, page);
  const colours = labelColours(account);
  const navigation = pager(window, "contacts", (target) => accountPath(account.id, target));
  const table =
    window.items.length === 0
      ? markup`<div class="empty">No contacts yet: create some through the API.</div>`
      : markup`<table class="contacts">
<thead><tr><th>Contact</th><th>Email</th><th>Phone</th><th>Identifier</th><th>Labels</th><th>Conversations</th></tr></thead>
<tbody>${window.items.map((contact) => contactRow(account, contact, colours))}</tbody>
</table>`;
  const bottom = window.pageCount > 1 ? navigation : null;
  return layout({
    title: `${account.name}: contacts`,
    crumbs: [{ label: "Accounts", href: "/" }, { label: account.name }],
    main: markup`${accountHeader(store, account, "contacts")}${navigation}${table}${bottom}`,
  });
}
