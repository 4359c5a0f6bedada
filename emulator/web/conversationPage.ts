import type { Store } from "../store/store";
import type { Account, Conversation, Message } from "../store/types";
import {
  attributeList,
  labelColours,
  labelList,
  priorityBadge,
  statusBadge,
  valueOrDash,
} from "./components";
import {
  assigneeName,
  attributePairs,
  contactName,
  formatClock,
  formatCount,
  formatDay,
  formatTime,
  senderName,
  teamName,
} from "./format";
import { markup, type SafeHtml } from "./html";
import { layout } from "./layout";
import { accountPath, contactPath } from "./paths";

/**
 * The most recent messages shown. Seeded conversations hold a handful; the cap only keeps a
 * conversation flooded through the API from producing a page that takes long to build.
 */
export const MAX_TRANSCRIPT_MESSAGES = 500;

/** How a message is drawn: the kinds a person tells apart in Chatwoot's dashboard. */
function messageKind(message: Message): { className: string; label: string } {
  if (message.messageType === "activity") return { className: "msg-activity", label: "Activity" };
  if (message.private) return { className: "msg-private", label: "Private note" };
  if (message.messageType === "incoming") return { className: "msg-incoming", label: "Incoming" };
  if (message.messageType === "template") return { className: "msg-outgoing", label: "Template" };
  return { className: "msg-outgoing", label: "Outgoing" };
}

function messageTags(message: Message): SafeHtml[] {
  const tags: SafeHtml[] = [];
  if (message.contentType !== "text") tags.push(markup` <span class="tag">${message.contentType}</span>`);
  if (message.contentAttributes.deleted === true) tags.push(markup` <span class="tag">deleted</span>`);
  if (message.status === "failed") tags.push(markup` <span class="tag">failed</span>`);
  return tags;
}

function messageItem(message: Message): SafeHtml {
  const kind = messageKind(message);
  const opening = markup`<li class="msg ${kind.className}" data-message-id="${message.id}">`;
  const time = markup`<time datetime="${new Date(message.createdAtMs).toISOString()}" title="${formatTime(message.createdAtMs)}">${formatClock(message.createdAtMs)}</time>`;
  if (message.messageType === "activity") {
    return markup`${opening}<span class="body">${message.content ?? ""}</span> <span class="meta">· ${time}</span></li>`;
  }
  const meta = markup`<div class="meta"><span class="kind">${kind.label}</span> · ${senderName(message)} · ${time}${messageTags(message)}</div>`;
  const body =
    message.content === null || message.content === ""
      ? markup`<div class="body none">(no text)</div>`
      : markup`<div class="body">${message.content}</div>`;
  return markup`${opening}${meta}${body}</li>`;
}

function transcript(conversation: Conversation): SafeHtml {
  const messages = conversation.messages;
  const hidden = Math.max(0, messages.length - MAX_TRANSCRIPT_MESSAGES);
  const notice =
    hidden > 0
      ? markup`<p class="notice">Showing the last ${formatCount(MAX_TRANSCRIPT_MESSAGES)} of ${formatCount(messages.length)} messages; the API has them all.</p>`
      : null;
  const items: SafeHtml[] = [];
  let day = "";
  for (const message of messages.slice(hidden)) {
    // The day once, where it changes, as chat apps do; each message then only shows its time.
    const messageDay = formatDay(message.createdAtMs);
    if (messageDay !== day) items.push(markup`<li class="day">${messageDay} (UTC)</li>`);
    day = messageDay;
    items.push(messageItem(message));
  }
  if (items.length === 0) items.push(markup`<li class="empty">No messages yet.</li>`);
  return markup`<section>${notice}<ol class="transcript">${items}</ol></section>`;
}

function details(store: Store, account: Account, conversation: Conversation): SafeHtml {
  const snoozedUntil =
    conversation.status === "snoozed" && conversation.snoozedUntilMs !== null
      ? markup` <span class="muted small">until ${formatTime(conversation.snoozedUntilMs)}</span>`
      : null;
  const contact = conversation.contact;
  return markup`<aside class="details conversation-details"><dl>
<dt>Status</dt><dd class="status">${statusBadge(conversation.status)}${snoozedUntil}</dd>
<dt>Priority</dt><dd class="priority">${priorityBadge(conversation.priority)}</dd>
<dt>Assignee</dt><dd class="assignee">${valueOrDash(assigneeName(store, account, conversation))}</dd>
<dt>Team</dt><dd class="team">${valueOrDash(teamName(account, conversation))}</dd>
<dt>Labels</dt><dd class="conversation-labels">${labelList(conversation.labels, labelColours(account))}</dd>
<dt>Contact</dt><dd class="contact"><a href="${contactPath(account.id, contact.id)}">${contactName(contact)}</a></dd>
<dt>Inbox</dt><dd>${conversation.inbox.name}</dd>
<dt>Messages</dt><dd>${formatCount(conversation.messages.length)}</dd>
<dt>Created</dt><dd>${formatTime(conversation.createdAtMs)}</dd>
<dt>Last activity</dt><dd>${formatTime(conversation.lastActivityAtMs)}</dd>
</dl>
<h3>Custom attributes</h3><div class="custom-attributes">${attributeList(attributePairs(conversation.customAttributes))}</div>
<h3>Additional attributes</h3>${attributeList(attributePairs(conversation.additionalAttributes))}
</aside>`;
}

/**
 * `/accounts/:id/conversations/:displayId` (and Chatwoot's dashboard URL
 * `/app/accounts/:id/conversations/:displayId`): the transcript in order, and the conversation's state.
 */
export function conversationPage(store: Store, account: Account, conversation: Conversation): string {
  const title = `Conversation #${conversation.displayId}`;
  const contact = conversation.contact;
  const main = markup`<h1>${title}</h1>
<p class="sub">with <a href="${contactPath(account.id, contact.id)}">${contactName(contact)}</a> in ${conversation.inbox.name}</p>
<div class="conversation">${transcript(conversation)}${details(store, account, conversation)}</div>`;
  return layout({
    title,
    crumbs: [
      { label: "Accounts", href: "/" },
      { label: account.name, href: accountPath(account.id) },
      { label: title },
    ],
    main,
  });
}
