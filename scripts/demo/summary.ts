import { z } from "zod";
import type { AccountSummary } from "../../emulator";

/** The demo program's outputs the summary reads (examples/demo-dataset/index.ts exports them). */
const demoOutputsSchema = z.object({
  counts: z.object({
    apiInboxes: z.number(),
    labels: z.number(),
    attributeDefinitions: z.number(),
    contacts: z.number(),
    contactInboxes: z.number(),
    conversations: z.number(),
    messages: z.number(),
  }),
  conversations: z.record(
    z.string(),
    z.object({ contact: z.string(), status: z.string(), priority: z.string(), url: z.string() }),
  ),
});

export type DemoOutputs = z.infer<typeof demoOutputsSchema>;

export function parseDemoOutputs(outputs: Record<string, unknown>): DemoOutputs {
  const parsed = demoOutputsSchema.safeParse(outputs);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `[${issue.path.join(".")}] ${issue.message}`);
  throw new Error(`the program's stack outputs lack what the summary needs: ${problems.join("; ")}`);
}

/** Where the data went, for the summary's heading. */
export interface SummaryContext {
  readonly where: string;
  readonly accountId: number;
  /** What the emulator holds afterwards; `undefined` for a real Chatwoot. */
  readonly emulatorCounts: AccountSummary | undefined;
}

/** Counts, conversations by status, and one table row per conversation. */
export function formatSummary(outputs: DemoOutputs, context: SummaryContext): string {
  const { counts } = outputs;
  const activity =
    context.emulatorCounts === undefined ? 0 : context.emulatorCounts.messages - counts.messages;
  const rows = Object.entries(outputs.conversations)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, row]) => [key, row.contact, row.status, row.priority, row.url]);
  return [
    `Seeded ${context.where}, account ${context.accountId}:`,
    `  ${plural(counts.apiInboxes, "API inbox", "API inboxes")}, ${plural(counts.labels, "label")}, ` +
      `${plural(counts.attributeDefinitions, "custom attribute definition")}`,
    `  ${plural(counts.contacts, "contact")}, ${plural(counts.contactInboxes, "contact inbox", "contact inboxes")}, ` +
      `${plural(counts.conversations, "conversation")}, ${plural(counts.messages, "message")}` +
      (activity > 0 ? ` (plus ${plural(activity, "activity message")} Chatwoot wrote itself)` : ""),
    `  by status: ${tally(Object.values(outputs.conversations).map((row) => row.status))}`,
    `  by priority: ${tally(Object.values(outputs.conversations).map((row) => row.priority))}`,
    "",
    ...table(["CONVERSATION", "CONTACT", "STATUS", "PRIORITY", "URL"], rows).map((line) => `  ${line}`),
  ].join("\n");
}

/**
 * Differences between what the program declared and what the emulator holds: the demo's own
 * proof that the run did what it says. Empty when they agree.
 */
export function emulatorMismatches(outputs: DemoOutputs, held: AccountSummary): string[] {
  const { counts } = outputs;
  const expected: Array<[string, number, number]> = [
    ["contacts", counts.contacts, held.contacts],
    ["contact inboxes", counts.contactInboxes, held.contactInboxes],
    ["conversations", counts.conversations, held.conversations],
  ];
  const problems = expected
    .filter(([, declared, actual]) => declared !== actual)
    .map(
      ([what, declared, actual]) => `${what}: the program declared ${declared}, the emulator holds ${actual}`,
    );
  if (held.messages < counts.messages) {
    problems.push(`messages: ${counts.messages} seeded, but the emulator holds only ${held.messages}`);
  }
  return problems;
}

/** `Callbacks received at <url>: 31 conversation_created, 94 message_created`, or none. */
export function formatCallbacks(url: string, byEvent: Readonly<Record<string, number>>): string {
  const entries = Object.entries(byEvent);
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return `No callback arrived at ${url}.`;
  return (
    `The API inbox called back ${plural(total, "time")} at ${url}:\n` +
    entries.map(([event, count]) => `  ${event}: ${count}`).join("\n")
  );
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `resolved resolved open` → `2 resolved, 1 open`, most frequent first. */
function tally(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([value, count]) => `${count} ${value}`)
    .join(", ");
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join("  ");
  return [line(header), ...rows.map(line)];
}
