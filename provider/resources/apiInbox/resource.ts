import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, resourceInputs, resourceOptions } from "../../dynamic/connectionArgs";
import { TYPE_MODULE } from "../../dynamic/kinds";
import { providerShim } from "../../dynamic/shim";

/** Arguments of an {@link ApiInbox}. The README's ApiInbox table says how each one behaves. */
export interface ApiInboxArgs {
  /** Account to create the inbox in. Defaults to the `chatwoot:accountId` stack config. */
  accountId?: pulumi.Input<number>;
  /** Inbox name, kept unique among the account's inboxes. */
  name: pulumi.Input<string>;
  /** Callback URL Chatwoot POSTs message and conversation events to. */
  webhookUrl?: pulumi.Input<string>;
  /** Require an `identifier_hash` on contacts created through the client API. @default false */
  hmacMandatory?: pulumi.Input<boolean>;
  /** One conversation per contact. @default false */
  lockToSingleConversation?: pulumi.Input<boolean>;
  /** Let contacts write to resolved conversations. @default true */
  allowMessagesAfterResolved?: pulumi.Input<boolean>;
  /** Greet new conversations with `greetingMessage`. @default false */
  greetingEnabled?: pulumi.Input<boolean>;
  /** The greeting. */
  greetingMessage?: pulumi.Input<string>;
  /** Assign new conversations to the members in turn. @default true */
  enableAutoAssignment?: pulumi.Input<boolean>;
  /** User ids of the inbox's members, replaced as a set; left out, Chatwoot's members are kept. */
  agentIds?: pulumi.Input<pulumi.Input<number>[]>;
  /** Take over the account's API inbox of the same name instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /**
   * Chatwoot to use for this resource instead of the stack config (`url`, `apiAccessToken`,
   * `accountId`, each optional), e.g. outputs of the stack that runs Chatwoot. Kept secret in the
   * state. Changing it never replaces the inbox or changes its data: it is recorded, and later
   * reads and deletes use it.
   */
  connection?: pulumi.Input<ConnectionArgs>;
}

const provider = providerShim("ApiInbox");

/** Outputs that carry keys: the engine stores them encrypted and shows them as `[secret]`. */
const SECRET_OUTPUTS = ["hmacToken", "secret"];

/**
 * An API-channel inbox: the inbox a program posts contacts, conversations and messages into, and
 * whose `webhookUrl` Chatwoot calls back for every new message and conversation change.
 */
export class ApiInbox extends pulumi.dynamic.Resource {
  /** Chatwoot's inbox id. */
  declare readonly inboxId: pulumi.Output<number>;
  declare readonly accountId: pulumi.Output<number>;
  declare readonly name: pulumi.Output<string>;
  declare readonly webhookUrl: pulumi.Output<string | undefined>;
  declare readonly hmacMandatory: pulumi.Output<boolean>;
  declare readonly lockToSingleConversation: pulumi.Output<boolean>;
  declare readonly allowMessagesAfterResolved: pulumi.Output<boolean>;
  declare readonly greetingEnabled: pulumi.Output<boolean>;
  declare readonly greetingMessage: pulumi.Output<string | undefined>;
  declare readonly enableAutoAssignment: pulumi.Output<boolean>;
  declare readonly agentIds: pulumi.Output<number[] | undefined>;
  /** The channel's public identifier, for Chatwoot's client API. */
  declare readonly inboxIdentifier: pulumi.Output<string>;
  /** Secret: key of contacts' `identifier_hash`. */
  declare readonly hmacToken: pulumi.Output<string | undefined>;
  /** Secret: key of the callbacks' `X-Chatwoot-Signature` (Chatwoot 4.13 and later). */
  declare readonly secret: pulumi.Output<string | undefined>;
  /** Whether create took over an existing inbox (`adopt: true`). */
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: ApiInboxArgs, opts?: pulumi.CustomResourceOptions) {
    const options = resourceOptions(args, opts);
    const additionalSecretOutputs = [
      ...new Set([...(options?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS]),
    ];
    super(
      provider,
      name,
      resourceInputs(apiInboxOutputPlaceholders, args),
      { ...options, additionalSecretOutputs },
      TYPE_MODULE,
      "ApiInbox",
    );
  }
}

// Every key present here becomes an output property of the resource, including the ones the
// program leaves out (Chatwoot fills them in).
const apiInboxOutputPlaceholders = {
  inboxId: undefined,
  accountId: undefined,
  webhookUrl: undefined,
  hmacMandatory: undefined,
  lockToSingleConversation: undefined,
  allowMessagesAfterResolved: undefined,
  greetingEnabled: undefined,
  greetingMessage: undefined,
  enableAutoAssignment: undefined,
  agentIds: undefined,
  inboxIdentifier: undefined,
  hmacToken: undefined,
  secret: undefined,
  adopted: undefined,
};
