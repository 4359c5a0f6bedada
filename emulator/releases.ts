/**
 * Which Chatwoot release the emulator behaves like. Every behaviour that differs between 4.x
 * releases is one named flag below, with the Chatwoot file and the release where it changed; route,
 * domain and view code asks the flag and never compares version strings itself.
 *
 * The releases are the `v4.x.y` tags of chatwoot/chatwoot, plus 4.12.0–4.14.2, which exist only as
 * `Merge branch 'release/4.x.y'` commits on its default branch (4.14.2 is the newest modelled).
 */
export const SUPPORTED_RELEASES = [
  "4.0.0",
  "4.0.1",
  "4.0.2",
  "4.0.3",
  "4.0.4",
  "4.1.0",
  "4.2.0",
  "4.3.0",
  "4.4.0",
  "4.5.0",
  "4.5.1",
  "4.5.2",
  "4.6.0",
  "4.7.0",
  "4.8.0",
  "4.9.0",
  "4.9.1",
  "4.9.2",
  "4.10.0",
  "4.10.1",
  "4.11.0",
  "4.11.1",
  "4.12.0",
  "4.12.1",
  "4.13.0",
  "4.14.0",
  "4.14.1",
  "4.14.2",
] as const;

export type ChatwootRelease = (typeof SUPPORTED_RELEASES)[number];

export const OLDEST_RELEASE: ChatwootRelease = "4.0.0";
export const NEWEST_RELEASE: ChatwootRelease = "4.14.2";

/** The release each behaviour first appeared in; older releases behave the other way. */
const SINCE = {
  /**
   * `_contact.json.jbuilder` and `Contact#push_event_data` render `blocked` (chatwoot
   * app/views/api/v1/models/_contact.json.jbuilder, app/models/contact.rb; added in v4.0.2 by
   * "feat: Add the ability to block/unblock contact via contact details page"). Before, the contact
   * JSON has no `blocked` key at all, although `PATCH /contacts/:id` already writes it.
   */
  contactJsonHasBlocked: "4.0.2",
  /**
   * `PATCH /contacts/:id` merges `additional_attributes` into the stored ones
   * (app/controllers/api/v1/accounts/contacts_controller.rb, `contact_additional_attributes`, v4.2.0).
   * Before, `contact_update_params` passes the permitted hash through and `assign_attributes`
   * replaces the whole object.
   */
  contactUpdateMergesAdditionalAttributes: "4.2.0",
  /**
   * `resources :conversations, only: [..., :destroy]` (config/routes.rb, v4.3.0). Before, there is no
   * `DELETE /conversations/:id` route and Rails answers its routing 404.
   */
  conversationDeleteRoute: "4.3.0",
  /**
   * `voice_call: 12` in `Message`'s `content_type` enum (app/models/message.rb, v4.6.0). Before,
   * `content_type: "voice_call"` raises `ArgumentError`, which the messages controller answers 422.
   */
  voiceCallContentType: "4.6.0",
  /**
   * `Contacts::FilterService#filter_values` removes every `+` from a phone number before prefixing
   * one (`"+#{current_val&.delete('+')}"`, app/services/contacts/filter_service.rb, v4.7.0). Before,
   * it prefixes `+` to the value as sent (`"+#{current_val}"`), so `+14155550100` is compared as
   * `++14155550100` and matches nothing.
   */
  phoneFilterStripsPlus: "4.7.0",
  /**
   * `Contacts::FilterService#base_relation` is `resolved_contacts` (only contacts with an email,
   * phone number or identifier; app/services/contacts/filter_service.rb, v4.7.0). Before, it is
   * every contact of the account.
   */
  contactFilterOnlyResolved: "4.7.0",
  /**
   * Conversations can be assigned to an agent bot (`assignee_type: "AgentBot"`,
   * app/controllers/api/v1/accounts/conversations/assignments_controller.rb) and the conversation
   * JSON says `meta.assignee_type` (app/views/api/v1/conversations/partials/_conversation.json.jbuilder),
   * both v4.8.0. Before, `assignee_type` is ignored and never rendered.
   */
  agentBotAssignment: "4.8.0",
  /**
   * `Messages::MessageBuilder#message_params` stores the `content_attributes` sent
   * (`content_attributes: content_attributes.presence`, app/builders/messages/message_builder.rb,
   * v4.9.0). Before, only `items` and `in_reply_to` are taken from them.
   */
  messageKeepsContentAttributes: "4.9.0",
  /**
   * `CustomAttributeDefinition#attribute_must_not_conflict` refuses, on create, a key that is one of
   * the model's `STANDARD_ATTRIBUTES` (chatwoot app/models/custom_attribute_definition.rb, first in
   * v4.0.4; absent from v4.0.3). Before, any key is taken.
   */
  customAttributeKeyConflict: "4.0.4",
  /**
   * `CustomAttributeDefinition` strips the key and display name before validating and checks the key
   * against `\A[\p{L}\p{N}_.\-]+\z` ("feat: harden filter service", app/models/custom_attribute_definition.rb,
   * 4.12.0). Before, both are stored as sent.
   */
  customAttributeKeyFormat: "4.12.0",
  /**
   * `FilterService#lt_gt_filter_query` binds an `is_greater_than`/`is_less_than`/`days_before` value
   * coerced by the attribute's data type (`Date.iso8601` for dates, `BigDecimal` for numbers) and answers
   * "Invalid value" for anything else, other types included (app/services/filter_service.rb, 4.12.0).
   * Before, `lt_gt_filter_values` writes `> 'value'::type` into the SQL, so a value the type cannot
   * read, or a type with no SQL name (currency, percent), is a database error (500).
   */
  filterCoercesComparisons: "4.12.0",
  /**
   * `CustomAttributeDefinitionPolicy`: only administrators create, update and delete definitions
   * (app/policies/custom_attribute_definition_policy.rb and `check_authorization` in
   * custom_attribute_definitions_controller.rb, 4.14.0). Before, the controller authorises nothing:
   * every agent of the account may.
   */
  customAttributeWritesAdminOnly: "4.14.0",
  /**
   * `company_attribute: 2` joins `attribute_model`, and `company_name` the contact's
   * `STANDARD_ATTRIBUTES` (app/models/custom_attribute_definition.rb, 4.14.0). Before,
   * `company_attribute` is not a valid attribute_model (500) and `company_name` is a free key.
   */
  companyAttributes: "4.14.0",
  /**
   * `DELETE /labels/:id` queues `Labels::RemoveAssociationsJob`, which takes the label off every
   * conversation and contact that carries it (app/controllers/api/v1/accounts/labels_controller.rb,
   * app/services/labels/destroy_service.rb; chatwoot commit 9c1d1c407, first in release 4.14.0).
   * Before, only the label row goes: contacts and conversations keep the tag.
   */
  labelDeleteRemovesTaggings: "4.14.0",
} as const satisfies Record<string, ChatwootRelease>;

export type ReleaseBehaviour = keyof typeof SINCE;

/** One release's behaviour: its version and, per flag, whether it behaves the newer way. */
export type ReleaseProfile = { readonly version: ChatwootRelease } & {
  readonly [flag in ReleaseBehaviour]: boolean;
};

export class UnsupportedReleaseError extends Error {
  constructor(requested: string) {
    super(
      `Chatwoot ${JSON.stringify(requested)} is not a supported release; the emulator models ` +
        `${SUPPORTED_RELEASES.join(", ")}`,
    );
    this.name = "UnsupportedReleaseError";
  }
}

function ordinal(version: ChatwootRelease): number {
  return SUPPORTED_RELEASES.indexOf(version);
}

/** The profile of a release given as `4.6.0` (or `v4.6.0`); throws for any other text. */
export function releaseProfile(requested: string = NEWEST_RELEASE): ReleaseProfile {
  const version = requested.trim().replace(/^v/, "");
  if (!(SUPPORTED_RELEASES as readonly string[]).includes(version))
    throw new UnsupportedReleaseError(requested);
  const release = version as ChatwootRelease;
  const flags = Object.fromEntries(
    (Object.entries(SINCE) as [ReleaseBehaviour, ChatwootRelease][]).map(([flag, since]) => [
      flag,
      ordinal(release) >= ordinal(since),
    ]),
  ) as Record<ReleaseBehaviour, boolean>;
  return Object.freeze({ version: release, ...flags });
}

/** When each behaviour arrived, for documentation and tests. */
export function releaseOf(flag: ReleaseBehaviour): ChatwootRelease {
  return SINCE[flag];
}
