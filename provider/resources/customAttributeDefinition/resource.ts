import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, resourceInputs, resourceOptions } from "../../dynamic/connectionArgs";
import { TYPE_MODULE } from "../../dynamic/kinds";
import { providerShim } from "../../dynamic/shim";

/**
 * Arguments of a {@link CustomAttributeDefinition}. The README's CustomAttributeDefinition table says
 * how each one behaves.
 */
export interface CustomAttributeDefinitionArgs {
  /** Account to define the attribute in. Defaults to the `chatwoot:accountId` stack config. */
  accountId?: pulumi.Input<number>;
  /** Which records carry the attribute. Changing it replaces the definition. */
  attributeModel: pulumi.Input<"contact" | "conversation">;
  /** Key under the records' `custom_attributes`. Changing it replaces the definition. */
  attributeKey: pulumi.Input<string>;
  /** Name the dashboard shows. */
  displayName: pulumi.Input<string>;
  /** How the dashboard shows and filters the value. @default "text" */
  displayType?: pulumi.Input<
    "text" | "number" | "currency" | "percent" | "link" | "date" | "list" | "checkbox"
  >;
  /** Description shown in the dashboard's settings. */
  description?: pulumi.Input<string>;
  /** The options of a `list` attribute, in order. */
  listValues?: pulumi.Input<pulumi.Input<string>[]>;
  /** `text` attributes: a JavaScript regular expression (without slashes) values must match. */
  regexPattern?: pulumi.Input<string>;
  /** The hint shown when a value does not match `regexPattern`. */
  regexCue?: pulumi.Input<string>;
  /** Take over the account's definition with the same key and model instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /**
   * Chatwoot to use for this resource instead of the stack config (`url`, `apiAccessToken`,
   * `accountId`, each optional). Kept secret in the state. Changing it never replaces the definition.
   */
  connection?: pulumi.Input<ConnectionArgs>;
}

const provider = providerShim("CustomAttributeDefinition");

/**
 * A custom attribute definition: the key, name, type and options under which the dashboard shows and
 * filters a contact's or conversation's `custom_attributes` entry.
 */
export class CustomAttributeDefinition extends pulumi.dynamic.Resource {
  /** Chatwoot's definition id. */
  declare readonly definitionId: pulumi.Output<number>;
  declare readonly accountId: pulumi.Output<number>;
  declare readonly attributeModel: pulumi.Output<string>;
  declare readonly attributeKey: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;
  declare readonly displayType: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly listValues: pulumi.Output<string[]>;
  declare readonly regexPattern: pulumi.Output<string | undefined>;
  declare readonly regexCue: pulumi.Output<string | undefined>;
  /** Whether create took over an existing definition (`adopt: true`). */
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: CustomAttributeDefinitionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      resourceInputs(customAttributeDefinitionOutputPlaceholders, args),
      resourceOptions(args, opts),
      TYPE_MODULE,
      "CustomAttributeDefinition",
    );
  }
}

// Every key present here becomes an output property of the resource, including the ones the
// program leaves out (Chatwoot fills them in).
const customAttributeDefinitionOutputPlaceholders = {
  definitionId: undefined,
  accountId: undefined,
  displayType: undefined,
  description: undefined,
  listValues: undefined,
  regexPattern: undefined,
  regexCue: undefined,
  adopted: undefined,
};
