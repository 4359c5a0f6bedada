/**
 * The web view's only stylesheet, inlined into every page: the view loads nothing from anywhere (its
 * Content-Security-Policy forbids it), so it works offline and cannot leak data to a third party.
 * Colours follow Chatwoot's dashboard loosely: blue outgoing bubbles, yellow private notes.
 */
export const STYLESHEET = `
:root { --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f6f7f9; --card: #fff; --accent: #1f93ff; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: #0b6bcb; text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { display: flex; align-items: baseline; gap: 14px; padding: 10px 24px; background: var(--card); border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 600; color: var(--fg); }
header.top .crumbs { color: var(--muted); }
header.top .crumbs span + span::before { content: "›"; margin: 0 6px; color: #9ca3af; }
header.top .note { margin-left: auto; font-size: 12px; color: var(--muted); }
main { max-width: 1180px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 22px 0 8px; }
.sub { color: var(--muted); margin: 0 0 14px; }
.facts { margin: 0 0 16px; color: var(--muted); font-size: 13px; }
.facts b { color: var(--fg); font-weight: 500; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.empty { padding: 18px; text-align: center; color: var(--muted); }
table { width: 100%; border-collapse: separate; border-spacing: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 11.5px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.wrap { overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 500; white-space: nowrap; }
.status-open { background: #dcfce7; color: #166534; }
.status-resolved { background: #e0e7ff; color: #3730a3; }
.status-pending { background: #fef3c7; color: #92400e; }
.status-snoozed { background: #f3e8ff; color: #6b21a8; }
.priority-urgent { background: #fee2e2; color: #991b1b; }
.priority-high { background: #ffedd5; color: #9a3412; }
.priority-medium { background: #fef9c3; color: #854d0e; }
.priority-low { background: #f1f5f9; color: #475569; }
.tag { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 11.5px; background: #f1f5f9; color: #475569; white-space: nowrap; }
.labels { display: flex; flex-wrap: wrap; gap: 3px; }
.label { display: inline-flex; align-items: center; gap: 5px; padding: 0 7px; border: 1px solid var(--line); border-radius: 4px; font-size: 12px; background: var(--card); white-space: nowrap; }
.label .dot { width: 8px; height: 8px; border-radius: 50%; background: #94a3b8; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; }
.chip { display: inline-flex; gap: 4px; align-items: center; padding: 0 2px 0 6px; border: 1px solid var(--line); border-radius: 999px; font-size: 12px; white-space: nowrap; }
.tabs { display: flex; gap: 4px; margin: 0 0 12px; border-bottom: 1px solid var(--line); }
.tabs a { padding: 6px 12px; color: var(--muted); border-bottom: 2px solid transparent; margin-bottom: -1px; }
.tabs a.active { color: var(--fg); border-bottom-color: var(--accent); font-weight: 500; }
.filters { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 10px; font-size: 13px; }
.filters a { padding: 1px 9px; border: 1px solid var(--line); border-radius: 999px; background: var(--card); color: var(--fg); }
.filters a.active { border-color: var(--accent); color: var(--accent); }
.pager { display: flex; gap: 14px; align-items: center; margin: 8px 0; color: var(--muted); font-size: 13px; }
.pager .spacer { flex: 1; }
.conversation { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 20px; align-items: start; }
.transcript { list-style: none; margin: 0; display: flex; flex-direction: column; gap: 10px; padding: 16px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
.transcript .day { align-self: center; padding: 0 10px; border-radius: 999px; background: #f1f5f9; color: var(--muted); font-size: 11.5px; }
.msg { max-width: 78%; padding: 7px 12px 8px; border-radius: 10px; }
.msg .meta { font-size: 11.5px; color: var(--muted); margin-bottom: 2px; }
.msg .meta .kind { font-weight: 600; }
.msg .body { white-space: pre-wrap; overflow-wrap: anywhere; }
.msg .body.none { font-style: italic; opacity: .75; }
.msg-incoming { align-self: flex-start; background: #f1f5f9; border-bottom-left-radius: 3px; }
.msg-outgoing { align-self: flex-end; background: var(--accent); color: #fff; border-bottom-right-radius: 3px; }
.msg-outgoing .meta { color: #dbeafe; }
.msg-private { align-self: flex-end; background: #fef9c3; border: 1px solid #fde047; border-bottom-right-radius: 3px; }
.msg-private .meta .kind { color: #854d0e; }
.msg-activity { align-self: center; max-width: 90%; padding: 2px 10px; color: var(--muted); font-size: 12px; text-align: center; background: none; }
.msg-activity .meta { display: inline; margin-right: 6px; }
.details { padding: 14px 16px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
.contact-details { max-width: 680px; }
.details dl { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 6px 12px; margin: 0; }
.details dt { color: var(--muted); }
.details dd { margin: 0; overflow-wrap: anywhere; }
.details h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); margin: 14px 0 6px; }
.notice { padding: 6px 10px; margin: 0 0 10px; border-radius: 6px; background: #fef3c7; color: #92400e; font-size: 13px; }
footer { max-width: 1180px; margin: 0 auto; padding: 0 24px 24px; color: #9ca3af; font-size: 12px; }
@media (max-width: 800px) { .conversation { grid-template-columns: 1fr; } }
`;
