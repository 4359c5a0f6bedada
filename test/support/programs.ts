import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPOSITORY_ROOT } from "./stack";

/** A small program using all three resources, as a user would write it. */
export const THREE_RESOURCE_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as chatwoot from "pulumi-chatwoot";

const inboxId = new pulumi.Config("demo").requireNumber("inboxId");
const alice = new chatwoot.Contact("alice", {
  name: "Alice Example",
  email: "alice@example.com",
  labels: ["vip"],
});
const session = new chatwoot.ContactInbox("alice-api", { contactId: alice.contactId, inboxId });
const refund = new chatwoot.Conversation("alice-refund", {
  inboxId,
  contactId: alice.contactId,
  sourceId: session.sourceId,
  status: "resolved",
  messages: [
    { content: "Hi, I was charged twice.", messageType: "incoming" },
    { content: "Sorry! Refunding now.", messageType: "outgoing" },
  ],
});
export const contactId = alice.contactId;
export const sourceId = session.sourceId;
export const url = refund.url;
`;

export const PROGRAM_TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, target: "ES2020", module: "commonjs", moduleResolution: "node" },
});

/**
 * Writes a Pulumi project with that program (or the one given) into a temporary directory. Its `node_modules` is this
 * repository's, where `pulumi-chatwoot` resolves to the built package.
 */
export function writeLinkedProject(
  name: string,
  program: string = THREE_RESOURCE_PROGRAM,
): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true }));
  fs.writeFileSync(path.join(dir, "tsconfig.json"), PROGRAM_TSCONFIG);
  fs.writeFileSync(path.join(dir, "index.ts"), program);
  fs.symlinkSync(path.join(REPOSITORY_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
