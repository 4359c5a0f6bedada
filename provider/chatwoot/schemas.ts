import { z } from "zod";

/**
 * Schemas of the Chatwoot answers this provider reads (chatwoot jbuilder views under
 * app/views/api/v1/). They check only the fields the provider uses, and let every other field
 * through untouched, so a newer Chatwoot that adds fields keeps working.
 */

const jsonObject = z.record(z.string(), z.unknown());

export const slimInboxSchema = z.object({
  id: z.number().int(),
  name: z.string().nullish(),
  channel_type: z.string().nullish(),
});

export const contactInboxSchema = z.object({
  source_id: z.string(),
  inbox: slimInboxSchema.nullable(),
});

export const contactSchema = z.object({
  id: z.number().int(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone_number: z.string().nullish(),
  identifier: z.string().nullish(),
  blocked: z.boolean().nullish(),
  custom_attributes: jsonObject.nullish(),
  additional_attributes: jsonObject.nullish(),
  created_at: z.number().nullish(),
  contact_inboxes: z.array(contactInboxSchema).optional(),
});
export type ContactJson = z.infer<typeof contactSchema>;

export const contactPayloadSchema = z.object({ payload: contactSchema });

export const contactCreatedSchema = z.object({
  payload: z.object({
    contact: contactSchema,
    contact_inbox: z
      .object({ source_id: z.string().nullable(), inbox: z.object({ id: z.number().int() }).nullable() })
      .nullish(),
  }),
});

export const contactListSchema = z.object({
  meta: z.object({ count: z.number().nullish() }).optional(),
  payload: z.array(contactSchema),
});

export const labelListSchema = z.object({ payload: z.array(z.string()) });

export const inboxSchema = z.object({
  id: z.number().int(),
  name: z.string().nullish(),
  channel_type: z.string(),
  /** Website inboxes only. */
  continuity_via_email: z.boolean().nullish(),
});
export type InboxJson = z.infer<typeof inboxSchema>;

export const conversationSchema = z.object({
  id: z.number().int(),
  uuid: z.string().nullish(),
  inbox_id: z.number().int(),
  status: z.string(),
  priority: z.string().nullish(),
  labels: z.array(z.string()).nullish(),
  custom_attributes: jsonObject.nullish(),
  additional_attributes: jsonObject.nullish(),
  snoozed_until: z.union([z.string(), z.number()]).nullish(),
  meta: z
    .object({
      sender: z.object({ id: z.number().int() }).nullish(),
      assignee: z.object({ id: z.number().int() }).nullish(),
      assignee_type: z.string().nullish(),
      team: z.object({ id: z.number().int() }).nullish(),
    })
    .optional(),
});
export type ConversationJson = z.infer<typeof conversationSchema>;

export const conversationListSchema = z.object({ payload: z.array(conversationSchema) });

export const messageSchema = z.object({
  id: z.number().int(),
  content: z.string().nullish(),
  message_type: z.number().int(),
  private: z.boolean().nullish(),
  content_type: z.string().nullish(),
  content_attributes: z.union([jsonObject, z.string()]).nullish(),
  source_id: z.string().nullish(),
  created_at: z.number().nullish(),
});
export type MessageJson = z.infer<typeof messageSchema>;

export const messageListSchema = z.object({ payload: z.array(messageSchema) });

export const customAttributesSchema = z.object({ custom_attributes: jsonObject.nullish() });

/** `toggle_status.json.jbuilder`: the status the conversation has after the request. */
export const statusAnswerSchema = z.object({
  payload: z.object({
    current_status: z.string(),
    snoozed_until: z.union([z.string(), z.number()]).nullish(),
  }),
});

/**
 * An inbox as `_inbox.json.jbuilder` renders it; the API-channel fields (`webhook_url`,
 * `inbox_identifier`, and for administrators `hmac_token` and `secret`) are there only for
 * `Channel::Api` inboxes, and `secret` only from Chatwoot 4.13 on (`WebhookSecretable`).
 */
export const fullInboxSchema = inboxSchema.extend({
  greeting_enabled: z.boolean().nullish(),
  greeting_message: z.string().nullish(),
  enable_auto_assignment: z.boolean().nullish(),
  allow_messages_after_resolved: z.boolean().nullish(),
  lock_to_single_conversation: z.boolean().nullish(),
  hmac_mandatory: z.boolean().nullish(),
  webhook_url: z.string().nullish(),
  inbox_identifier: z.string().nullish(),
  hmac_token: z.string().nullish(),
  secret: z.string().nullish(),
});
export type FullInboxJson = z.infer<typeof fullInboxSchema>;

export const inboxListSchema = z.object({ payload: z.array(fullInboxSchema) });

export const agentSchema = z.object({
  id: z.number().int(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});
export const agentListSchema = z.object({ payload: z.array(agentSchema) });

/** `GET /agents` (`agents/index.json.jbuilder`): a bare array of the account's users. */
export const agentArraySchema = z.array(agentSchema.extend({ role: z.string().nullish() }));

/** `GET /teams` (`teams/index.json.jbuilder`): a bare array. */
export const teamArraySchema = z.array(z.object({ id: z.number().int(), name: z.string().nullish() }));

/** An account label as `labels/show.json.jbuilder` (and index, create, update) renders it. */
export const labelSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.string().nullish(),
  color: z.string().nullish(),
  show_on_sidebar: z.boolean().nullish(),
});
export type LabelJson = z.infer<typeof labelSchema>;

/** `GET /labels` (`labels/index.json.jbuilder`): the account's labels, not a contact's tag list. */
export const accountLabelListSchema = z.object({ payload: z.array(labelSchema) });

/**
 * A custom attribute definition as `_custom_attribute_definition.json.jbuilder` renders it (the same
 * in every 4.x release): enums by name, `attribute_values` a jsonb array.
 */
export const customAttributeDefinitionSchema = z.object({
  id: z.number().int(),
  attribute_display_name: z.string().nullish(),
  attribute_display_type: z.string().nullish(),
  attribute_description: z.string().nullish(),
  attribute_key: z.string().nullish(),
  regex_pattern: z.string().nullish(),
  regex_cue: z.string().nullish(),
  attribute_values: z.array(z.unknown()).nullish(),
  attribute_model: z.string().nullish(),
});
export type CustomAttributeDefinitionJson = z.infer<typeof customAttributeDefinitionSchema>;

export const customAttributeDefinitionListSchema = z.array(customAttributeDefinitionSchema);
