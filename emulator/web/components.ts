import type { Account, ConversationStatus, Priority } from "../store/types";
import { formatCount } from "./format";
import { markup, type SafeHtml } from "./html";
import type { PageWindow } from "./pagination";

/** Small pieces of markup shared by the pages. */

const DASH = markup`<span class="muted">—</span>`;

/** A value, or a muted dash where there is none (null or blank). */
export function valueOrDash(value: string | null): SafeHtml {
  return value === null || value.trim() === "" ? DASH : markup`${value}`;
}

export function statusBadge(status: ConversationStatus): SafeHtml {
  return markup`<span class="badge status-${status}">${status}</span>`;
}

export function priorityBadge(priority: Priority | null): SafeHtml {
  if (priority === null) return markup`<span class="muted">none</span>`;
  return markup`<span class="badge priority-${priority}">${priority}</span>`;
}

/** A label's colour goes into a style attribute, so only a plain hex colour is accepted. */
const HEX_COLOUR = /^#[0-9a-f]{3,8}$/i;

/** Label title (lower-cased, as Chatwoot matches them) → colour of the account label of that name. */
export function labelColours(account: Account): Map<string, string> {
  const colours = new Map<string, string>();
  for (const label of account.labels.values()) {
    if (label.title !== null && HEX_COLOUR.test(label.color)) {
      colours.set(label.title.toLowerCase(), label.color);
    }
  }
  return colours;
}

export function labelList(labels: readonly string[], colours: Map<string, string>): SafeHtml {
  if (labels.length === 0) return DASH;
  const items = labels.map((label) => {
    const colour = colours.get(label.toLowerCase());
    const style = colour !== undefined ? markup` style="background:${colour}"` : null;
    return markup`<span class="label"><span class="dot"${style}></span>${label}</span>`;
  });
  return markup`<span class="labels">${items}</span>`;
}

/** `key` and `value` rows of a definition list; an empty object shows a dash. */
export function attributeList(pairs: [string, string][]): SafeHtml {
  if (pairs.length === 0) return DASH;
  return markup`<dl>${pairs.map(([key, value]) => markup`<dt>${key}</dt><dd>${value}</dd>`)}</dl>`;
}

/** "Showing 51–100 of 1,000 contacts", with previous/next links when there is more than one page. */
export function pager<T>(window: PageWindow<T>, noun: string, hrefFor: (page: number) => string): SafeHtml {
  const first = formatCount(window.first);
  const last = formatCount(window.last);
  const range =
    window.total === 0 ? `No ${noun}` : `Showing ${first}–${last} of ${formatCount(window.total)} ${noun}`;
  if (window.pageCount <= 1) return markup`<div class="pager"><span>${range}</span></div>`;
  const previous =
    window.page > 1
      ? markup`<a rel="prev" href="${hrefFor(window.page - 1)}">‹ Previous</a>`
      : markup`<span>‹ Previous</span>`;
  const next =
    window.page < window.pageCount
      ? markup`<a rel="next" href="${hrefFor(window.page + 1)}">Next ›</a>`
      : markup`<span>Next ›</span>`;
  const position = `Page ${window.page} of ${window.pageCount}`;
  return markup`<div class="pager"><span>${range}</span><span class="spacer"></span>${previous}<span>${position}</span>${next}</div>`;
}
