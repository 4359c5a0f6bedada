/**
 * The entry point the serialized provider shim loads inside Pulumi's provider host
 * (`require("pulumi-chatwoot/dynamic")`). It is resolved from the Pulumi project's directory, so
 * it is always the installed version of this package that runs.
 */
import type * as pulumi from "@pulumi/pulumi";
import { stackConfigFrom } from "../config/settings";
import { apiInboxImplementation } from "../resources/apiInbox/provider";
import { contactImplementation } from "../resources/contact/provider";
import { contactInboxImplementation } from "../resources/contactInbox/provider";
import { conversationImplementation } from "../resources/conversation/provider";
import { labelImplementation } from "../resources/label/provider";
import { customAttributeDefinitionImplementation } from "../resources/customAttributeDefinition/provider";
import { withConnectionInput } from "./connectionInput";
import { setStackConfig } from "./context";
import type { Implementation } from "./implementation";
import { RESOURCE_KINDS, ResourceKind } from "./kinds";

// Every kind takes a `connection` input, handled around its own implementation.
const IMPLEMENTATIONS: Record<ResourceKind, Implementation> = {
  Contact: withConnectionInput(contactImplementation),
  ContactInbox: withConnectionInput(contactInboxImplementation),
  Conversation: withConnectionInput(conversationImplementation),
  ApiInbox: withConnectionInput(apiInboxImplementation),
  Label: withConnectionInput(labelImplementation),
  CustomAttributeDefinition: withConnectionInput(customAttributeDefinitionImplementation),
};

const METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;

/** Gives the shim object the implementation of `kind`, and records the stack's configuration. */
export async function attach(
  shim: Record<string, unknown>,
  kind: string,
  request: pulumi.dynamic.ConfigureRequest | undefined,
): Promise<void> {
  const implementation = (IMPLEMENTATIONS as Partial<Record<string, Implementation>>)[kind];
  if (implementation === undefined) {
    throw new Error(
      `This version of pulumi-chatwoot cannot manage "${kind}" resources (it knows ${RESOURCE_KINDS.join(", ")}). ` +
        `Install the version the stack was deployed with, or a newer one.`,
    );
  }
  for (const method of METHODS) shim[method] = implementation[method].bind(implementation);
  setStackConfig(stackConfigFrom(request?.config));
}
