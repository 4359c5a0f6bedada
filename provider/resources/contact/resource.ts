import * as pulumi from "@pulumi/pulumi";
import { TYPE_MODULE } from "../../dynamic/kinds";
import { ConnectionArgs, resourceInputs, resourceOptions } from "../../dynamic/connectionArgs";
import { providerShim } from "../../dynamic/shim";

/** Arguments of a {@link Contact}. The README's Contact table says how each one behaves. */
export interface ContactArgs {
  /** Account to create the contact in. Defaults to the `chatwoot:accountId` stack config. */
  accountId?: pulumi.Input<number>;
  /** Display name. Left out: Chatwoot's value is kept. */
  name?: pulumi.Input<string>;
  /** Email address, unique per account (stored lower-cased). */
  email?: pulumi.Input<string>;
  /** Phone number in E.164 form, e.g. `+14155550100`; unique per account. */
  phoneNumber?: pulumi.Input<string>;
  /** External id such as a CRM id; unique per account, case-sensitive. */
  identifier?: pulumi.Input<string>;
  /** Whether the contact is blocked. @default false */
  blocked?: pulumi.Input<boolean>;
  /** Custom attributes; keys removed here are removed in Chatwoot. */
  customAttributes?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** Additional attributes (company_name, city, …), merged into Chatwoot's. */
  additionalAttributes?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** Labels, replaced as a set. */
  labels?: pulumi.Input<pulumi.Input<string>[]>;
  /** Create the contact's first contact inbox in this inbox (Chatwoot's `inbox_id` on create). */
  inboxId?: pulumi.Input<number>;
  /** Source id for that contact inbox; generated when left out. */
  sourceId?: pulumi.Input<string>;
  /** Take over an existing contact with the same email, phone number or identifier instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /**
   * Chatwoot to use for this resource instead of the stack config (`url`, `apiAccessToken`,
   * `accountId`, each optional), e.g. outputs of the stack that runs Chatwoot. Kept secret in the
   * state. Changing it never replaces the resource or changes its data: it is recorded, and later
   * reads and deletes use it.
   */
  connection?: pulumi.Input<ConnectionArgs>;
}

const provider = providerShim("Contact");

/**
 * A Chatwoot contact. At least one of `email`, `phoneNumber` or `identifier` is required: they
 * are how the provider finds the contact again, and Chatwoot hides contacts without one.
 */
export class Contact extends pulumi.dynamic.Resource {
  /** Chatwoot's contact id. */
  declare readonly contactId: pulumi.Output<number>;
  declare readonly accountId: pulumi.Output<number>;
  declare readonly name: pulumi.Output<string>;
  declare readonly email: pulumi.Output<string | undefined>;
  declare readonly phoneNumber: pulumi.Output<string | undefined>;
  declare readonly identifier: pulumi.Output<string | undefined>;
  declare readonly blocked: pulumi.Output<boolean>;
  declare readonly customAttributes: pulumi.Output<Record<string, unknown>>;
  declare readonly additionalAttributes: pulumi.Output<Record<string, unknown>>;
  declare readonly labels: pulumi.Output<string[]>;
  declare readonly inboxId: pulumi.Output<number | undefined>;
  /** Source id of the contact inbox created with the contact, when `inboxId` was given. */
  declare readonly sourceId: pulumi.Output<string | undefined>;
  /** Whether create took over an existing contact (`adopt: true`). */
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: ContactArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      resourceInputs(contactOutputPlaceholders, args),
      resourceOptions(args, opts),
      TYPE_MODULE,
      "Contact",
    );
  }
}

// Every key present here becomes an output property of the resource, including the ones the
// program leaves out (Chatwoot fills them in).
const contactOutputPlaceholders = {
  contactId: undefined,
  accountId: undefined,
  name: undefined,
  email: undefined,
  phoneNumber: undefined,
  identifier: undefined,
  blocked: undefined,
  customAttributes: undefined,
  additionalAttributes: undefined,
  labels: undefined,
  inboxId: undefined,
  sourceId: undefined,
  adopted: undefined,
};
