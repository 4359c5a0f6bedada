/**
 * Fault injection: random faults (a probability and a weighted mix) and deterministic rules that
 * target a method and/or path and fire a limited number of times. Everything draws from one
 * seedable random generator so a failing test can be replayed.
 */

export const FAULT_KINDS = [
  "429",
  "500",
  "502",
  "503",
  "latency",
  "drop",
  "commit_then_500",
  "commit_then_drop",
  "commit_late",
] as const;

/**
 * - `429`: rack-attack's answer (`text/plain`, `Retry later\n`, no `Retry-After`).
 * - `500`/`502`/`503`: a server or proxy error, nothing applied.
 * - `latency`: the request is delayed by `latencyMs`, then handled normally.
 * - `drop`: the socket is destroyed without an answer, nothing applied.
 * - `commit_then_500` / `commit_then_drop`: the request is applied, then answered with a 500 or the
 *   socket is destroyed — the client cannot tell whether its write happened.
 * - `commit_late`: the client gives up at once (the socket is destroyed, standing in for its
 *   timeout) while the server goes on and applies the request later, as Puma finishes a request
 *   whose client has gone: just before it handles the `applyAfter`-th API request that arrives
 *   after it. Counting requests instead of time keeps every test deterministic.
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** HTTP method to match, case-insensitive; any method when absent. */
  method?: string;
  /**
   * Path to match (query string excluded). With `*` (one path segment) or `**` (anything) it is a
   * glob over the whole path; without wildcards it matches a path that equals it or ends with it,
   * so `/contacts` targets `/api/v1/accounts/1/contacts`. A RegExp (code API only) is tested as is.
   */
  path?: string | RegExp;
  fault: FaultKind;
  /** How many more times the rule may fire; unlimited when absent. */
  times?: number;
  /** Chance that a matching request triggers the rule. @default 1 */
  probability?: number;
  /** Delay added before the fault (or before normal handling for `latency`). @default the config's `latencyMs` for `latency`, else 0 */
  latencyMs?: number;
  /** `commit_late` only: how many later API requests arrive before the held one is applied. @default 1 */
  applyAfter?: number;
}

export interface FaultConfig {
  /** Chance (0–1) that a request not caught by a rule gets a random fault from `mix`. @default 0 */
  probability?: number;
  /** Relative weights of the random faults. @default every kind weighted 1 */
  mix?: Partial<Record<FaultKind, number>>;
  /** Delay used by `latency` faults. @default 250 */
  latencyMs?: number;
  /** Deterministic rules, tried in order before the random faults. */
  rules?: FaultRule[];
  /** Seed of the random generator (rules' probabilities and random faults). Random when absent. */
  seed?: number;
}

export interface FaultDecision {
  kind: FaultKind;
  latencyMs: number;
  /** For `commit_late`: later requests to wait for (1 for a random fault). */
  applyAfter: number;
  /** Index of the rule that fired, or null for a random fault. */
  rule: number | null;
}

/** Mulberry32: small, fast, and good enough to make fault sequences reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split("**")
    .map((part) => part.split("*").map(escapeRegExp).join("[^/]*"))
    .join(".*");
  return new RegExp(`^${source}$`);
}

export function pathMatches(pattern: string | RegExp | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  if (pattern instanceof RegExp) return pattern.test(path);
  if (pattern.includes("*")) return globToRegExp(pattern).test(path);
  return path === pattern || (pattern.startsWith("/") && path.endsWith(pattern));
}

export class FaultValidationError extends Error {}

function checkProbability(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== "number" || !(value >= 0 && value <= 1))) {
    throw new FaultValidationError(`${name} must be a number between 0 and 1`);
  }
}

/** Checks a config received over HTTP or from the command line; throws `FaultValidationError`. */
export function validateFaultConfig(config: unknown): FaultConfig {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new FaultValidationError("fault config must be an object");
  }
  const candidate = config as Record<string, unknown>;
  checkProbability(candidate.probability, "probability");
  if (
    candidate.latencyMs !== undefined &&
    !(typeof candidate.latencyMs === "number" && candidate.latencyMs >= 0)
  ) {
    throw new FaultValidationError("latencyMs must be a non-negative number");
  }
  if (candidate.seed !== undefined && !Number.isInteger(candidate.seed)) {
    throw new FaultValidationError("seed must be an integer");
  }
  if (candidate.mix !== undefined) {
    if (typeof candidate.mix !== "object" || candidate.mix === null)
      throw new FaultValidationError("mix must be an object");
    for (const [kind, weight] of Object.entries(candidate.mix)) {
      if (!(FAULT_KINDS as readonly string[]).includes(kind))
        throw new FaultValidationError(`unknown fault kind in mix: ${kind}`);
      if (typeof weight !== "number" || weight < 0)
        throw new FaultValidationError(`weight of ${kind} must be a non-negative number`);
    }
  }
  if (candidate.rules !== undefined) {
    if (!Array.isArray(candidate.rules)) throw new FaultValidationError("rules must be an array");
    candidate.rules.forEach(validateFaultRule);
  }
  return candidate as FaultConfig;
}

export function validateFaultRule(rule: unknown): FaultRule {
  if (typeof rule !== "object" || rule === null) throw new FaultValidationError("a rule must be an object");
  const candidate = rule as Record<string, unknown>;
  if (!(FAULT_KINDS as readonly string[]).includes(String(candidate.fault))) {
    throw new FaultValidationError(`rule.fault must be one of ${FAULT_KINDS.join(", ")}`);
  }
  if (candidate.method !== undefined && typeof candidate.method !== "string") {
    throw new FaultValidationError("rule.method must be a string");
  }
  if (
    candidate.path !== undefined &&
    typeof candidate.path !== "string" &&
    !(candidate.path instanceof RegExp)
  ) {
    throw new FaultValidationError("rule.path must be a string");
  }
  if (
    candidate.times !== undefined &&
    !(Number.isInteger(candidate.times) && (candidate.times as number) >= 0)
  ) {
    throw new FaultValidationError("rule.times must be a non-negative integer");
  }
  checkProbability(candidate.probability, "rule.probability");
  if (
    candidate.applyAfter !== undefined &&
    !(Number.isInteger(candidate.applyAfter) && (candidate.applyAfter as number) >= 1)
  ) {
    throw new FaultValidationError("rule.applyAfter must be a positive integer");
  }
  if (
    candidate.latencyMs !== undefined &&
    !(typeof candidate.latencyMs === "number" && candidate.latencyMs >= 0)
  ) {
    throw new FaultValidationError("rule.latencyMs must be a non-negative number");
  }
  return candidate as unknown as FaultRule;
}

const DEFAULT_LATENCY_MS = 250;

/** Holds the current fault configuration and decides, request by request, whether to misbehave. */
export class FaultInjector {
  private config: FaultConfig = {};
  private random: () => number = Math.random;
  private fired = 0;

  constructor(initial: FaultConfig = {}) {
    this.set(initial);
  }

  /** Replaces the whole configuration (and reseeds the generator when a seed is given). */
  set(config: FaultConfig): void {
    const validated = validateFaultConfig(config);
    this.config = { ...validated, rules: (validated.rules ?? []).map((rule) => ({ ...rule })) };
    this.random = validated.seed !== undefined ? seededRandom(validated.seed) : Math.random;
  }

  addRule(rule: FaultRule): void {
    const validated = validateFaultRule(rule);
    this.config.rules = [...(this.config.rules ?? []), { ...validated }];
  }

  clear(): void {
    this.config = {};
    this.random = Math.random;
  }

  /** The current configuration, with rules' remaining `times`. */
  snapshot(): FaultConfig & { fired: number } {
    const rules = (this.config.rules ?? []).map((rule) => ({
      ...rule,
      ...(rule.path instanceof RegExp ? { path: rule.path.toString() } : {}),
    }));
    return { ...this.config, rules: rules as FaultRule[], fired: this.fired };
  }

  decide(method: string, path: string): FaultDecision | null {
    const rules = this.config.rules ?? [];
    for (let index = 0; index < rules.length; index += 1) {
      const rule = rules[index];
      if (!rule) continue;
      if (rule.times !== undefined && rule.times <= 0) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (!pathMatches(rule.path, path)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (rule.times !== undefined) rule.times -= 1;
      this.fired += 1;
      const latencyMs =
        rule.latencyMs ?? (rule.fault === "latency" ? (this.config.latencyMs ?? DEFAULT_LATENCY_MS) : 0);
      return { kind: rule.fault, latencyMs, applyAfter: rule.applyAfter ?? 1, rule: index };
    }
    const probability = this.config.probability ?? 0;
    if (probability <= 0 || this.random() >= probability) return null;
    const kind = this.pickFromMix();
    if (!kind) return null;
    this.fired += 1;
    return {
      kind,
      latencyMs: kind === "latency" ? (this.config.latencyMs ?? DEFAULT_LATENCY_MS) : 0,
      applyAfter: 1,
      rule: null,
    };
  }

  private pickFromMix(): FaultKind | null {
    const mix = this.config.mix ?? Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 1]));
    const entries = Object.entries(mix).filter((entry): entry is [FaultKind, number] => (entry[1] ?? 0) > 0);
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    if (total <= 0) return null;
    let roll = this.random() * total;
    for (const [kind, weight] of entries) {
      roll -= weight;
      if (roll < 0) return kind;
    }
    return entries[entries.length - 1]?.[0] ?? null;
  }
}
