import { normalizeLabel } from "../validation/rules";

/**
 * How each lookup compares the searched value with what Chatwoot lists, and the errors for no match
 * or several. The rules follow how Chatwoot stores each value (chatwoot v4.0.0 to 4.14.2):
 *
 * - an inbox's name is stored as given and may repeat (`app/models/inbox.rb` validates presence only):
 *   matched exactly, case and spaces included, and a name held by several inboxes is an error;
 * - an agent's email is stored lower-cased and stripped (`app/models/user.rb` `before_validation`,
 *   Devise's `case_insensitive_keys`/`strip_whitespace_keys`), unique: matched ignoring case and
 *   surrounding spaces, as Chatwoot's own sign-in does;
 * - a team's name and a label's title are stored lower-cased (`app/models/team.rb`,
 *   `app/models/label.rb` `before_validation`), unique in the account: matched ignoring case.
 */

export type LookupKind = "inbox" | "agent" | "team" | "label";

/** One listed object, reduced to what matching and the errors need. */
export interface Candidate {
  readonly id: number;
  /** The inbox's or team's name, the agent's email, the label's title. */
  readonly key: string;
}

interface KindRule {
  /** The function's name, which starts every message. */
  readonly fn: string;
  readonly noun: string;
  readonly plural: string;
  /** How the searched value is described: `named`, `with the email`, … */
  readonly by: string;
  readonly normalize: (value: string) => string;
  readonly matching: string;
}

const EXACT = (value: string) => value;
/**
 * Ruby's `downcase`, as Chatwoot applies it: character by character. JavaScript's `toLowerCase`
 * on a whole string writes a word-final Σ as ς, where Ruby (and so Chatwoot) stores σ.
 */
const IGNORING_CASE = normalizeLabel;

export const KIND_RULES: Readonly<Record<LookupKind, KindRule>> = {
  inbox: {
    fn: "getInbox",
    noun: "inbox",
    plural: "inboxes",
    by: "named",
    normalize: EXACT,
    matching: "inbox names are matched exactly, case and spaces included",
  },
  agent: {
    fn: "getAgent",
    noun: "agent",
    plural: "agents",
    by: "with the email",
    normalize: (value) => value.trim().toLowerCase(),
    matching: "emails are matched ignoring case, as Chatwoot stores them lower-cased",
  },
  team: {
    fn: "getTeam",
    noun: "team",
    plural: "teams",
    by: "named",
    normalize: IGNORING_CASE,
    matching: "team names are matched ignoring case, as Chatwoot stores them lower-cased",
  },
  label: {
    fn: "getLabel",
    noun: "label",
    plural: "labels",
    by: "titled",
    normalize: IGNORING_CASE,
    matching: "label titles are matched ignoring case, as Chatwoot stores them lower-cased",
  },
};

/** At most this many listed values are quoted in a no-match error. */
const QUOTED = 10;

/** A lookup that found nothing, or more than one object. */
export class ChatwootLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChatwootLookupError";
  }
}

/** The one candidate whose key matches `wanted` under the kind's rule; otherwise a ChatwootLookupError. */
export function pickOne<T extends Candidate>(
  kind: LookupKind,
  wanted: string,
  candidates: readonly T[],
  accountId: number,
): T {
  const rule = KIND_RULES[kind];
  const target = rule.normalize(wanted);
  const matches = candidates.filter((candidate) => rule.normalize(candidate.key) === target);
  if (matches.length === 1) return matches[0]!;
  const criterion = `${rule.by} ${JSON.stringify(wanted)} in account ${accountId}`;
  if (matches.length > 1) {
    throw new ChatwootLookupError(
      `${rule.fn}: ${matches.length} ${rule.plural} ${criterion} (ids ${matches.map((match) => match.id).join(", ")}), ` +
        "so none can be chosen; rename all but one in Chatwoot, or use an id",
    );
  }
  throw new ChatwootLookupError(
    `${rule.fn}: no ${rule.noun} ${criterion}; ${rule.matching}. ${listed(kind, candidates)}`,
  );
}

function listed(kind: LookupKind, candidates: readonly Candidate[]): string {
  const rule = KIND_RULES[kind];
  const visible =
    kind === "inbox" ? " (an agent's token lists only the inboxes the agent is a member of)" : "";
  if (candidates.length === 0) return `Chatwoot lists no ${rule.plural}${visible}.`;
  const quoted = candidates.slice(0, QUOTED).map((candidate) => JSON.stringify(candidate.key));
  const more = candidates.length > QUOTED ? `, and ${candidates.length - QUOTED} more` : "";
  return `Chatwoot lists ${candidates.length}${visible}: ${quoted.join(", ")}${more}.`;
}
