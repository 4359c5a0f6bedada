import { z } from "zod";
import { contactFieldSchemas } from "../resources/contact/spec";
import { apiInboxFieldSchemas } from "../resources/apiInbox/spec";
import { conversationFieldSchemas } from "../resources/conversation/spec";
import { customAttributeDefinitionFieldSchemas as attributeFields } from "../resources/customAttributeDefinition/spec";
import { labelFieldSchemas } from "../resources/label/spec";
import { flag, nonEmptyShortText, positiveId } from "../validation/rules";

/**
 * The shape of a seed data set (an object, or a YAML/JSON file). Inboxes, agents and teams are
 * referred to by name (an inbox's name, an agent's email, a team's name) or by a numeric id, so one
 * data file serves several Chatwoot installations; `Seed` resolves the names (`references.ts`).
 */

/** A reference to an inbox, agent or team: a name, or an id. */
const reference = () =>
  z.union([positiveId(), nonEmptyShortText()], {
    error: "must be a name or a numeric id",
  });

/** Stable keys become parts of Pulumi resource names. */
const key = () =>
  z.string({ error: "must be a string" }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, {
    error: "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit",
  });

const lookupTable = () => z.record(z.string(), positiveId(), { error: "must map names to numeric ids" });

/** An API inbox the data declares (an `ApiInbox`); `agents` are references like `assignee`. */
const seedApiInbox = z
  .object({
    key: key().optional(),
    name: apiInboxFieldSchemas.name,
    webhookUrl: apiInboxFieldSchemas.webhookUrl.optional(),
    hmacMandatory: apiInboxFieldSchemas.hmacMandatory.optional(),
    lockToSingleConversation: apiInboxFieldSchemas.lockToSingleConversation.optional(),
    allowMessagesAfterResolved: apiInboxFieldSchemas.allowMessagesAfterResolved.optional(),
    greetingEnabled: apiInboxFieldSchemas.greetingEnabled.optional(),
    greetingMessage: apiInboxFieldSchemas.greetingMessage.optional(),
    enableAutoAssignment: apiInboxFieldSchemas.enableAutoAssignment.optional(),
    agents: z.array(reference(), { error: "must be a list of agent emails or ids" }).optional(),
    adopt: apiInboxFieldSchemas.adopt.optional(),
  })
  .strict();

/** An account label the data declares (a `Label`); its title is lower-cased, as Chatwoot stores it. */
const seedLabel = z
  .object({
    key: key().optional(),
    title: labelFieldSchemas.title,
    description: labelFieldSchemas.description.optional(),
    color: labelFieldSchemas.color.optional(),
    showOnSidebar: labelFieldSchemas.showOnSidebar.optional(),
    adopt: labelFieldSchemas.adopt.optional(),
  })
  .strict();

/** A custom attribute definition the data declares (a `CustomAttributeDefinition`). */
const seedAttributeDefinition = z
  .object({
    key: key().optional(),
    attributeModel: attributeFields.attributeModel,
    attributeKey: attributeFields.attributeKey,
    displayName: attributeFields.displayName,
    displayType: attributeFields.displayType.optional(),
    description: attributeFields.description.optional(),
    listValues: attributeFields.listValues.optional(),
    regexPattern: attributeFields.regexPattern.optional(),
    regexCue: attributeFields.regexCue.optional(),
    adopt: attributeFields.adopt.optional(),
  })
  .strict();

const seedSession = z
  .object({
    inbox: reference(),
    sourceId: contactFieldSchemas.sourceId.optional(),
    hmacVerified: flag().optional(),
  })
  .strict();

const seedConversation = z
  .object({
    key: key().optional(),
    inbox: reference(),
    sourceId: conversationFieldSchemas.sourceId.optional(),
    status: conversationFieldSchemas.status.optional(),
    snoozedUntil: conversationFieldSchemas.snoozedUntil.optional(),
    priority: conversationFieldSchemas.priority.optional(),
    labels: conversationFieldSchemas.labels.optional(),
    assignee: reference().optional(),
    team: reference().optional(),
    customAttributes: conversationFieldSchemas.customAttributes.optional(),
    additionalAttributes: conversationFieldSchemas.additionalAttributes.optional(),
    messages: conversationFieldSchemas.messages,
  })
  .strict();

const seedContact = z
  .object({
    key: key().optional(),
    name: contactFieldSchemas.name.optional(),
    email: contactFieldSchemas.email.optional(),
    phoneNumber: contactFieldSchemas.phoneNumber.optional(),
    identifier: contactFieldSchemas.identifier.optional(),
    blocked: contactFieldSchemas.blocked.optional(),
    customAttributes: contactFieldSchemas.customAttributes.optional(),
    additionalAttributes: contactFieldSchemas.additionalAttributes.optional(),
    labels: contactFieldSchemas.labels.optional(),
    adopt: contactFieldSchemas.adopt.optional(),
    inboxes: z.array(seedSession, { error: "must be a list of contact inboxes" }).optional(),
    conversations: z.array(seedConversation, { error: "must be a list of conversations" }).optional(),
  })
  .strict()
  .refine((contact) => contact.email ?? contact.phoneNumber ?? contact.identifier, {
    error: "needs at least one of email, phoneNumber or identifier",
  });

export const seedDataSchema = z
  .object({
    inboxes: lookupTable().optional(),
    agents: lookupTable().optional(),
    teams: lookupTable().optional(),
    apiInboxes: z.array(seedApiInbox, { error: "must be a list of API inboxes" }).optional(),
    labels: z.array(seedLabel, { error: "must be a list of labels" }).optional(),
    customAttributeDefinitions: z
      .array(seedAttributeDefinition, { error: "must be a list of custom attribute definitions" })
      .optional(),
    contacts: z.array(seedContact, { error: "must be a list of contacts" }),
  })
  .strict();

export type SeedData = z.input<typeof seedDataSchema>;
export type CheckedSeedData = z.output<typeof seedDataSchema>;
export type SeedContact = CheckedSeedData["contacts"][number];
export type SeedConversation = NonNullable<SeedContact["conversations"]>[number];
export type SeedSession = NonNullable<SeedContact["inboxes"]>[number];
export type SeedApiInbox = NonNullable<CheckedSeedData["apiInboxes"]>[number];
export type SeedLabel = NonNullable<CheckedSeedData["labels"]>[number];
export type SeedAttributeDefinition = NonNullable<CheckedSeedData["customAttributeDefinitions"]>[number];
