import * as pulumi from "@pulumi/pulumi";
import { TYPE_MODULE } from "../../dynamic/kinds";
import { ConnectionArgs, resourceInputs, resourceOptions } from "../../dynamic/connectionArgs";
import { providerShim } from "../../dynamic/shim";

/** One message of a seeded transcript. */
export interface SeedMessageArgs {
  /** The text (at most 150,000 characters). */
  content: pulumi.Input<string>;
  /** `incoming` (from the contact; API inboxes only) or `outgoing` (from the token's user). @default "outgoing" */
  messageType?: pulumi.Input<"incoming" | "outgoing">;
  /** A private note, visible to agents only. @default false */
  private?: pulumi.Input<boolean>;
  /** Chatwoot's content type, e.g. `input_select` or `cards`. @default "text" */
  contentType?: pulumi.Input<string>;
  /** Content attributes for rich content types (items of a select, cards, …). */
  contentAttributes?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
}

/** Arguments of a {@link Conversation}. The README's Conversation table says how each one behaves. */
export interface ConversationArgs {
  /** Account. Defaults to the `chatwoot:accountId` stack config. */
  accountId?: pulumi.Input<number>;
  inboxId: pulumi.Input<number>;
  contactId: pulumi.Input<number>;
  /** Source id of the contact inbox to use (e.g. `contactInbox.sourceId`). */
  sourceId?: pulumi.Input<string>;
  /** @default "open" */
  status?: pulumi.Input<"open" | "resolved" | "pending" | "snoozed">;
  /** With `status: "snoozed"`: when it wakes up, as an ISO 8601 date-time. */
  snoozedUntil?: pulumi.Input<string>;
  priority?: pulumi.Input<"low" | "medium" | "high" | "urgent">;
  labels?: pulumi.Input<pulumi.Input<string>[]>;
  /** User id of the assigned agent; left out means unassigned. */
  assigneeId?: pulumi.Input<number>;
  teamId?: pulumi.Input<number>;
  /** Replaced as a whole on every change. */
  customAttributes?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** Only taken at creation: a change replaces the conversation. */
  additionalAttributes?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** The transcript, posted in order; messages can be appended in place, not edited. */
  messages: pulumi.Input<pulumi.Input<SeedMessageArgs>[]>;
  /**
   * Chatwoot to use for this resource instead of the stack config (`url`, `apiAccessToken`,
   * `accountId`, each optional), e.g. outputs of the stack that runs Chatwoot. Kept secret in the
   * state. Changing it never replaces the resource or changes its data: it is recorded, and later
   * reads and deletes use it.
   */
  connection?: pulumi.Input<ConnectionArgs>;
}

const provider = providerShim("Conversation");

/** A seeded Chatwoot conversation with its transcript, status, priority, labels, assignee and team. */
export class Conversation extends pulumi.dynamic.Resource {
  /** The display id, as in Chatwoot's URLs. */
  declare readonly conversationId: pulumi.Output<number>;
  declare readonly uuid: pulumi.Output<string>;
  /** The conversation's page in the Chatwoot dashboard. */
  declare readonly url: pulumi.Output<string>;
  /** Ids of the seeded messages, in order. */
  declare readonly messageIds: pulumi.Output<number[]>;
  /** The seeded messages' content as Chatwoot stored it (with Liquid rendered), in order. */
  declare readonly messageContents: pulumi.Output<string[]>;
  declare readonly seedId: pulumi.Output<string>;
  declare readonly accountId: pulumi.Output<number>;
  declare readonly inboxId: pulumi.Output<number>;
  declare readonly contactId: pulumi.Output<number>;
  declare readonly sourceId: pulumi.Output<string | undefined>;
  declare readonly status: pulumi.Output<string>;
  declare readonly snoozedUntil: pulumi.Output<string | undefined>;
  declare readonly priority: pulumi.Output<string | undefined>;
  declare readonly labels: pulumi.Output<string[]>;
  declare readonly assigneeId: pulumi.Output<number | undefined>;
  declare readonly teamId: pulumi.Output<number | undefined>;
  declare readonly customAttributes: pulumi.Output<Record<string, unknown>>;
  declare readonly additionalAttributes: pulumi.Output<Record<string, unknown>>;
  declare readonly messages: pulumi.Output<Array<Record<string, unknown>>>;

  constructor(name: string, args: ConversationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      resourceInputs(conversationOutputPlaceholders, args),
      resourceOptions(args, opts),
      TYPE_MODULE,
      "Conversation",
    );
  }
}

// Every key present here becomes an output property of the resource.
const conversationOutputPlaceholders = {
  conversationId: undefined,
  uuid: undefined,
  url: undefined,
  messageIds: undefined,
  messageContents: undefined,
  seedId: undefined,
  accountId: undefined,
  sourceId: undefined,
  status: undefined,
  snoozedUntil: undefined,
  priority: undefined,
  labels: undefined,
  assigneeId: undefined,
  teamId: undefined,
  customAttributes: undefined,
  additionalAttributes: undefined,
};
