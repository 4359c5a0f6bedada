import type { Store } from "../store/store";
import type { Account, Contact } from "../store/types";
import { attributeList, labelColours, labelList, pager, valueOrDash } from "./components";
import { conversationTable } from "./conversationTable";
import { attributePairs, contactName, formatTime } from "./format";
import { markup, type SafeHtml } from "./html";
import { layout } from "./layout";
import { paginate } from "./pagination";
import { accountPath, contactPath } from "./paths";

/** The contact's sessions: which inbox, under which source id (never the pubsub token). */
function contactInboxList(contact: Contact): SafeHtml {
  if (contact.contactInboxes.length === 0) return markup`<span class="muted">—</span>`;
  return markup`${contact.contactInboxes.map(
    (contactInbox) =>
      markup`<div>${contactInbox.inbox.name} <span class="muted small">source ${contactInbox.sourceId}</span></div>`,
  )}`;
}

function contactDetails(account: Account, contact: Contact): SafeHtml {
  const blocked = contact.blocked ? markup`<dt>Blocked</dt><dd>yes</dd>` : null;
  return markup`<section class="details contact-details"><dl>
<dt>Id</dt><dd>${contact.id}</dd>
<dt>Email</dt><dd>${valueOrDash(contact.email)}</dd>
<dt>Phone</dt><dd>${valueOrDash(contact.phoneNumber)}</dd>
<dt>Identifier</dt><dd>${valueOrDash(contact.identifier)}</dd>
<dt>Labels</dt><dd>${labelList(contact.labels, labelColours(account))}</dd>
<dt>Inboxes</dt><dd>${contactInboxList(contact)}</dd>
<dt>Created</dt><dd>${formatTime(contact.createdAtMs)}</dd>
${blocked}</dl>
<h3>Custom attributes</h3>${attributeList(attributePairs(contact.customAttributes))}
<h3>Additional attributes</h3>${attributeList(attributePairs(contact.additionalAttributes))}
</section>`;
}

/** `/accounts/:id/contacts/:contactId`: one contact's details and all of its conversations. */
export function contactPage(store: Store, account: Account, contact: Contact, page: number): string {
  const window = paginate(contact.conversations, contact.conversations.length, page);
  const navigation = pager(window, "conversations", (target) => contactPath(account.id, contact.id, target));
  const bottom = window.pageCount > 1 ? navigation : null;
  const main = markup`<h1>${contactName(contact)}</h1>
<p class="sub">Contact of <a href="${accountPath(account.id)}">${account.name}</a></p>
${contactDetails(account, contact)}
<h2>Conversations</h2>
${navigation}${conversationTable(store, account, window.items, false)}${bottom}`;
  return layout({
    title: contactName(contact),
    crumbs: [
      { label: "Accounts", href: "/" },
      { label: account.name, href: accountPath(account.id) },
      { label: contactName(contact) },
    ],
    main,
  });
}
