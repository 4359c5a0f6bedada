import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, resourceInputs, resourceOptions } from "../../dynamic/connectionArgs";
import { TYPE_MODULE } from "../../dynamic/kinds";
import { providerShim } from "../../dynamic/shim";

/** Arguments of a {@link Label}. The README's Label table says how each one behaves. */
export interface LabelArgs {
  /** Account to create the label in. Defaults to the `chatwoot:accountId` stack config. */
  accountId?: pulumi.Input<number>;
  /** Label title: letters, digits, `-` and `_`; lower-cased, as Chatwoot stores it. Renamed in place. */
  title: pulumi.Input<string>;
  /** What the label means. */
  description?: pulumi.Input<string>;
  /** Hex colour (`#rgb` or `#rrggbb`). @default "#1f93ff" */
  color?: pulumi.Input<string>;
  /** List the label in the dashboard's sidebar. @default false */
  showOnSidebar?: pulumi.Input<boolean>;
  /** Take over the account's label of the same title instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /**
   * Chatwoot to use for this resource instead of the stack config (`url`, `apiAccessToken`,
   * `accountId`, each optional). Kept secret in the state. Changing it never replaces the label.
   */
  connection?: pulumi.Input<ConnectionArgs>;
}

const provider = providerShim("Label");

/**
 * An account label (Settings → Labels): the labels Chatwoot's dashboard offers for contacts and
 * conversations, with their colour, and optionally in the sidebar. A `Contact` or `Conversation`
 * that lists `label.title` in its `labels` is created after the label.
 */
export class Label extends pulumi.dynamic.Resource {
  /** Chatwoot's label id. */
  declare readonly labelId: pulumi.Output<number>;
  declare readonly accountId: pulumi.Output<number>;
  /** The title as Chatwoot stores it (lower-case): use it in a contact's or conversation's `labels`. */
  declare readonly title: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly color: pulumi.Output<string>;
  declare readonly showOnSidebar: pulumi.Output<boolean>;
  /** Whether create took over an existing label (`adopt: true`). */
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: LabelArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      resourceInputs(labelOutputPlaceholders, args),
      resourceOptions(args, opts),
      TYPE_MODULE,
      "Label",
    );
  }
}

// Every key present here becomes an output property of the resource, including the ones the
// program leaves out (Chatwoot fills them in).
const labelOutputPlaceholders = {
  labelId: undefined,
  accountId: undefined,
  description: undefined,
  color: undefined,
  showOnSidebar: undefined,
  adopted: undefined,
};
