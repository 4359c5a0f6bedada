import type { Store } from "../store/store";
import type { Account } from "../store/types";
import { availableName } from "../views/users";
import { formatCount } from "./format";
import { markup, type SafeHtml } from "./html";
import { accountPath, conversationsPath } from "./paths";

export type AccountTab = "contacts" | "conversations";

/** Lists of set-up records are short in practice; the cap keeps a pathological one from filling the page. */
const MAX_NAMES = 12;

function nameList(names: string[]): string {
  if (names.length === 0) return "none";
  const shown = names.slice(0, MAX_NAMES).join(", ");
  return names.length > MAX_NAMES ? `${shown} and ${names.length - MAX_NAMES} more` : shown;
}

/** The account's set-up a person needs to read its data: inboxes, agents, teams and labels. */
function accountFacts(store: Store, account: Account): SafeHtml {
  const inboxes = [...account.inboxes.values()].map((inbox) => `${inbox.name} (${inbox.channel.kind})`);
  const agents: string[] = [];
  for (const [userId, membership] of account.members) {
    const user = store.users.get(userId);
    if (user) agents.push(`${availableName(user)} (${membership.role})`);
  }
  const teams = [...account.teams.values()].map((team) => team.name);
  const labels = [...account.labels.values()].flatMap((label) => (label.title !== null ? [label.title] : []));
  return markup`<p class="facts">Account <b>${account.id}</b> · Inboxes: <b>${nameList(inboxes)}</b> · Agents: <b>${nameList(agents)}</b> · Teams: <b>${nameList(teams)}</b> · Labels: <b>${nameList(labels)}</b></p>`;
}

/** The account's name and set-up, and the contacts/conversations tabs. */
export function accountHeader(store: Store, account: Account, tab: AccountTab): SafeHtml {
  const tabLink = (name: AccountTab, href: string, text: string): SafeHtml =>
    markup`<a class="${tab === name ? "active" : ""}" href="${href}">${text}</a>`;
  const contacts = tabLink(
    "contacts",
    accountPath(account.id),
    `Contacts (${formatCount(account.contacts.size)})`,
  );
  const conversations = tabLink(
    "conversations",
    conversationsPath(account.id),
    `Conversations (${formatCount(account.conversations.size)})`,
  );
  return markup`<h1>${account.name}</h1>
${accountFacts(store, account)}
<nav class="tabs">${contacts}${conversations}</nav>`;
}
