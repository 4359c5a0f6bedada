import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { CheckedSeedData, SeedData, seedDataSchema } from "./schema";

/** A data set that cannot be used; the message names the entry and the field. */
export class SeedDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SeedDataError";
  }
}

/** Reads a data set from an object, or from a `.yaml`, `.yml` or `.json` file. */
export function loadSeedData(
  source: SeedData | string,
  baseDirectory: string = process.cwd(),
): CheckedSeedData {
  const where = typeof source === "string" ? path.resolve(baseDirectory, source) : "the seed data";
  const raw = typeof source === "string" ? readFile(where) : source;
  const parsed = seedDataSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${describePath(raw, issue.path)}: ${issue.message}`);
  throw new SeedDataError(`${where} is not a valid seed data set:\n  - ${problems.join("\n  - ")}`);
}

function readFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new SeedDataError(`Cannot read the seed data file ${file}: ${(error as Error).message}`);
  }
  try {
    return file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new SeedDataError(
      `${file} is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`,
    );
  }
}

/** Lists whose items are entries, named in messages by their position and natural key. */
const ENTRY_LISTS = ["contacts", "conversations", "inboxes"];
/** The same at the top level only: a contact's or conversation's `labels` are plain titles. */
const TOP_LEVEL_ENTRY_LISTS = ["apiInboxes", "labels", "customAttributeDefinitions"];

/**
 * Names an issue's place like `contacts[3] (bob@example.com) conversations[0] [messages.1.content]`:
 * the entry first (with its natural key, so it can be found in the file), then the field.
 */
function describePath(raw: unknown, issuePath: ReadonlyArray<PropertyKey>): string {
  const parts: string[] = [];
  let node: unknown = raw;
  let index = 0;
  while (index < issuePath.length) {
    const segment = issuePath[index]!;
    const next = (node as Record<PropertyKey, unknown> | undefined)?.[segment as string];
    if (
      typeof issuePath[index + 1] === "number" &&
      (ENTRY_LISTS.includes(String(segment)) ||
        (index === 0 && TOP_LEVEL_ENTRY_LISTS.includes(String(segment))))
    ) {
      const position = issuePath[index + 1] as number;
      const entry = (next as unknown[] | undefined)?.[position];
      parts.push(`${String(segment)}[${position}]${entryLabel(entry)}`);
      node = entry;
      index += 2;
      continue;
    }
    break;
  }
  const field = issuePath.slice(index).map(String).join(".");
  return (
    [...parts, field === "" ? "" : `[${field}]`].filter((part) => part !== "").join(" ") || "(top level)"
  );
}

function entryLabel(entry: unknown): string {
  if (typeof entry !== "object" || entry === null) return "";
  const record = entry as Record<string, unknown>;
  const label =
    record.key ??
    record.identifier ??
    record.email ??
    record.phoneNumber ??
    record.name ??
    record.title ??
    record.attributeKey;
  return typeof label === "string" ? ` (${label})` : "";
}
