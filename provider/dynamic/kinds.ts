/** The resource kinds this package implements; each is a type token `pulumi-nodejs:dynamic/chatwoot:<kind>`. */
export const RESOURCE_KINDS = [
  "Contact",
  "ContactInbox",
  "Conversation",
  "ApiInbox",
  "Label",
  "CustomAttributeDefinition",
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** The module part of the type tokens. */
export const TYPE_MODULE = "chatwoot";
