import * as pulumi from "@pulumi/pulumi";
import { TYPE_MODULE } from "../../dynamic/kinds";
import { ConnectionArgs, resourceInputs, resourceOptions } from "../../dynamic/connectionArgs";
import { providerShim } from "../../dynamic/shim";

/** Arguments of a {@link ContactInbox}. Every change replaces it (Chatwoot cannot update one). */
export interface ContactInboxArgs {
  /** Account of the contact. Defaults to the `chatwoot:accountId` stack config. */
  accountId?: pulumi.Input<number>;
  /** The contact, e.g. `contact.contactId`. */
  contactId: pulumi.Input<number>;
  /** The inbox. */
  inboxId: pulumi.Input<number>;
  /** The session's source id, unique per inbox; generated once when left out. */
  sourceId?: pulumi.Input<string>;
  /** Marks the session as HMAC-verified. */
  hmacVerified?: pulumi.Input<boolean>;
  /**
   * Chatwoot to use for this resource instead of the stack config (`url`, `apiAccessToken`,
   * `accountId`, each optional), e.g. outputs of the stack that runs Chatwoot. Kept secret in the
   * state. Changing it never replaces the resource or changes its data: it is recorded, and later
   * reads and deletes use it.
   */
  connection?: pulumi.Input<ConnectionArgs>;
}

const provider = providerShim("ContactInbox");

/**
 * A contact inbox: the session that ties a contact to an inbox under a `source_id`. Chatwoot has
 * no route to delete one, so deleting this resource only stops tracking it; the session goes
 * with its contact.
 */
export class ContactInbox extends pulumi.dynamic.Resource {
  declare readonly accountId: pulumi.Output<number>;
  declare readonly contactId: pulumi.Output<number>;
  declare readonly inboxId: pulumi.Output<number>;
  /** The session's source id (generated when not given). */
  declare readonly sourceId: pulumi.Output<string>;
  declare readonly hmacVerified: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: ContactInboxArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      resourceInputs({ accountId: undefined, sourceId: undefined, hmacVerified: undefined }, args),
      resourceOptions(args, opts),
      TYPE_MODULE,
      "ContactInbox",
    );
  }
}
