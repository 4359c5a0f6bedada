import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Engine, type OperationResult, type Program } from "../../harness";
import type { EmulatorReady } from "./emulatorProcess";
import { forEachConcurrently, pairSpec } from "./workload";

type Kind = "Contact" | "Conversation";

/**
 * The provider as `pulumi up`/`refresh`/`destroy` drive it: Pulumi's real dynamic-provider host,
 * loading this repository's built package, under the engine harness's step rules with the CLI's
 * default parallelism. Each operation gets a fresh host, as each CLI command starts one, so the
 * host's peak memory is that operation's own. Hosts start without the harness's preload, exactly as
 * the CLI starts them.
 */
export class ProviderRun {
  private readonly providerText: Record<Kind, string>;

  private constructor(
    private readonly engine: Engine,
    private readonly ready: EmulatorReady,
    repositoryRoot: string,
  ) {
    // The exact `__provider` text the SDK serializes for each class (pinned by serialized-provider.test.ts).
    const text = (kind: Kind) =>
      readFileSync(join(repositoryRoot, "test", "golden", `provider-${kind}.js`), "utf8");
    this.providerText = { Contact: text("Contact"), Conversation: text("Conversation") };
  }

  static async start(
    ready: EmulatorReady,
    repositoryRoot: string,
    concurrency: number,
    options: {
      /** Stack config on top of the connection's (namespaced keys). */
      readonly config?: Readonly<Record<string, string>>;
      /** Start hosts with the harness's preload; the bench measures hosts as the CLI starts them. */
      readonly preload?: boolean;
    } = {},
  ): Promise<ProviderRun> {
    const engine = await Engine.start({
      projectDir: repositoryRoot,
      config: {
        "chatwoot:url": ready.url,
        "chatwoot:accountId": String(ready.accountId),
        "chatwoot:apiAccessToken": ready.adminToken,
        "chatwoot:maxConcurrency": String(concurrency),
        // The raw client has no rate limit either: the bench compares work, not the limiter's pacing.
        "chatwoot:requestsPerMinute": "100000000",
        ...options.config,
      },
      secretConfigKeys: ["chatwoot:apiAccessToken"],
      callDeadlineMs: 600_000,
      // Hosts as the CLI starts them: the harness's preload would make startup and memory look lighter.
      preload: options.preload ?? false,
    });
    return new ProviderRun(engine, ready, repositoryRoot);
  }

  /** The `__provider` text of each class, in bytes. */
  providerBytes(): Record<Kind, number> {
    return {
      Contact: Buffer.byteLength(this.providerText.Contact),
      Conversation: Buffer.byteLength(this.providerText.Conversation),
    };
  }

  /** State bytes (as a checkpoint stores it) and the number of resources in it. */
  stateSize(): { bytes: number; resources: number } {
    return { bytes: Buffer.byteLength(this.engine.stateJson()), resources: this.engine.state.length };
  }

  async up(count: number): Promise<OperationResult> {
    return this.engine.up(this.program(count));
  }

  async refresh(): Promise<OperationResult> {
    return this.engine.refresh();
  }

  async destroy(): Promise<OperationResult> {
    return this.engine.destroy();
  }

  /** Hosts started so far: taken before an operation, handed to `hostPeakMemorySince` after it. */
  hostsStarted(): number {
    return this.engine.hostPeakMemory().length;
  }

  /**
   * The largest peak resident memory (Linux `VmHWM`) of the hosts started since `before`, in bytes,
   * or `undefined` where `/proc` does not say. Each command starts and stops its own hosts, as the
   * CLI does, so this is the operation's own figure.
   */
  hostPeakMemorySince(before: number): number | undefined {
    const peaks = this.engine
      .hostPeakMemory()
      .slice(before)
      .filter((peak): peak is number => peak !== undefined);
    return peaks.length === 0 ? undefined : Math.max(...peaks);
  }

  async close(): Promise<void> {
    await this.engine.close();
  }

  /** Declares every pair at once, as a Pulumi program does; the engine orders them by dependency. */
  private program(count: number): Program {
    return async (deployment) => {
      await forEachConcurrently(count, count, async (index) => {
        const { contact, conversation } = pairSpec(index);
        const id = String(index).padStart(5, "0");
        const madeContact = await deployment.register({
          type: "pulumi-nodejs:dynamic/chatwoot:Contact",
          name: `contact-${id}`,
          inputs: {
            name: contact.name,
            email: contact.email,
            customAttributes: contact.customAttributes,
            labels: contact.labels,
            inboxId: this.ready.inboxId,
            __provider: this.providerText.Contact,
          },
        });
        await deployment.register({
          type: "pulumi-nodejs:dynamic/chatwoot:Conversation",
          name: `conversation-${id}`,
          inputs: {
            inboxId: this.ready.inboxId,
            contactId: madeContact.outputs.contactId!,
            sourceId: madeContact.outputs.sourceId!,
            status: conversation.status,
            priority: conversation.priority,
            labels: conversation.labels,
            messages: conversation.messages.map((message) => ({ ...message })),
            __provider: this.providerText.Conversation,
          },
          dependsOn: [madeContact.urn],
        });
      });
    };
  }
}
