import { formatTime } from "./format";
import { markup, SafeHtml } from "./html";
import { STYLESHEET } from "./styles";

/** One step of the breadcrumb trail; the last one (the current page) has no link. */
export interface Crumb {
  label: string;
  href?: string;
}

export interface PageContent {
  /** Document title. */
  title: string;
  crumbs: Crumb[];
  main: SafeHtml;
}

/** The stylesheet is a constant of this codebase, never user data, so it goes in as markup. */
const STYLE = new SafeHtml(STYLESHEET);

function breadcrumbs(crumbs: Crumb[]): SafeHtml {
  const steps = crumbs.map((crumb) =>
    crumb.href !== undefined
      ? markup`<span><a href="${crumb.href}">${crumb.label}</a></span>`
      : markup`<span>${crumb.label}</span>`,
  );
  return markup`<nav class="crumbs">${steps}</nav>`;
}

/**
 * The document around every page. The empty data-URL icon stops browsers from asking for
 * `/favicon.ico` (which would only log a 404 among the API requests).
 */
export function layout(content: PageContent): string {
  return markup`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${content.title} · Chatwoot emulator</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header class="top"><a class="brand" href="/">Chatwoot emulator</a>${breadcrumbs(content.crumbs)}<span class="note">read-only view of the in-memory data</span></header>
<main>
${content.main}
</main>
<footer>Rendered ${formatTime(Date.now())}; reload to see later changes.</footer>
</body>
</html>
`.markup;
}
