/**
 * pulumi-chatwoot: declare a Chatwoot environment's starting data as Pulumi resources.
 *
 * Configure the provider with stack config (`chatwoot:url`, `chatwoot:accountId`,
 * `chatwoot:apiAccessToken` as a secret) or the CHATWOOT_URL, CHATWOOT_ACCOUNT_ID and
 * CHATWOOT_API_ACCESS_TOKEN environment variables.
 */
export { ApiInbox, ApiInboxArgs } from "./resources/apiInbox/resource";
export { Contact, ContactArgs } from "./resources/contact/resource";
export { ContactInbox, ContactInboxArgs } from "./resources/contactInbox/resource";
export { Conversation, ConversationArgs, SeedMessageArgs } from "./resources/conversation/resource";
export { Label, LabelArgs } from "./resources/label/resource";
export {
  CustomAttributeDefinition,
  CustomAttributeDefinitionArgs,
} from "./resources/customAttributeDefinition/resource";
export { Seed, SeedArgs } from "./seed/seed";
export type { ConnectionArgs } from "./dynamic/connectionArgs";
export { SeedDataError, loadSeedData } from "./seed/load";
export {
  getAgent,
  getAgentOutput,
  getInbox,
  getInboxOutput,
  getLabel,
  getLabelOutput,
  getTeam,
  getTeamOutput,
} from "./lookups/functions";
export type { LookupOptions, LookupOutputOptions } from "./lookups/functions";
export type { AgentLookup, InboxLookup, LabelLookup, TeamLookup } from "./lookups/directory";
export type { LookupConnection } from "./lookups/connection";
export { ChatwootLookupError } from "./lookups/match";
export type { SeedData } from "./seed/schema";
