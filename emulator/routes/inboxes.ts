import { accessAccount, authorizeInbox, requireAdmin, visibleInboxes } from "../auth";
import type { RequestContext } from "../context";
import {
  createApiChannel,
  createEmailChannel,
  createInbox,
  createLineChannel,
  createWebWidgetChannel,
} from "../domain/inboxes";
import { checkColumnLength, STRING_COLUMN_LIMIT, ValidationErrors } from "../domain/validation";
import { internalServerError, recordInvalid, unprocessable } from "../errors";
import { jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import {
  castBoolean,
  castString,
  isBlank,
  isPlainObject,
  permittedScalar,
  type JsonObject,
} from "../http/rubyish";
import type { Channel, Inbox, JsonMap, WorkingHour } from "../store/types";
import { castIntegerColumn } from "../domain/conversations";
import { inboxView } from "../views/inboxes";
import { findInbox } from "./support";

const P = "/api/v1/accounts/:account_id/inboxes";
/** Channel types `POST /inboxes` accepts in Chatwoot; only the first four are emulated. */
const EMULATED_CHANNEL_TYPES = ["api", "web_widget", "email", "line"];
const OTHER_CHANNEL_TYPES = ["telegram", "whatsapp", "sms"];
const URL_LENGTH_LIMIT = 2048;
const MESSAGE_LENGTH_LIMIT = 10_000;

function scalarString(value: unknown): string | null | undefined {
  const scalar = permittedScalar(value);
  return scalar === undefined ? undefined : castString(scalar);
}

function scalarBoolean(value: unknown): boolean | null | undefined {
  const scalar = permittedScalar(value);
  return scalar === undefined ? undefined : castBoolean(scalar);
}

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Inbox attributes of `InboxesController#inbox_attributes` that the emulator keeps. */
function applyInboxAttributes(inbox: Inbox, params: JsonObject, errors: ValidationErrors): void {
  const name = scalarString(params.name);
  if (name !== undefined) inbox.name = name ?? "";
  const booleans: [string, keyof Inbox][] = [
    ["greeting_enabled", "greetingEnabled"],
    ["enable_email_collect", "enableEmailCollect"],
    ["csat_survey_enabled", "csatSurveyEnabled"],
    ["enable_auto_assignment", "enableAutoAssignment"],
    ["working_hours_enabled", "workingHoursEnabled"],
    ["allow_messages_after_resolved", "allowMessagesAfterResolved"],
    ["lock_to_single_conversation", "lockToSingleConversation"],
  ];
  for (const [param, field] of booleans) {
    const value = scalarBoolean(params[param]);
    if (value !== undefined && value !== null) (inbox as unknown as Record<string, unknown>)[field] = value;
  }
  const greeting = scalarString(params.greeting_message);
  if (greeting !== undefined) inbox.greetingMessage = greeting;
  const outOfOffice = scalarString(params.out_of_office_message);
  if (outOfOffice !== undefined) inbox.outOfOfficeMessage = outOfOffice;
  const businessName = scalarString(params.business_name);
  if (businessName !== undefined) inbox.businessName = businessName;
  const timezone = scalarString(params.timezone);
  if (timezone !== undefined) inbox.timezone = timezone ?? "";
  const senderNameType = params.sender_name_type;
  if (senderNameType === "friendly" || senderNameType === "professional")
    inbox.senderNameType = senderNameType;
  else if (senderNameType !== undefined && senderNameType !== null) throw internalServerError();

  checkColumnLength(errors, "name", inbox.name, STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "business_name", inbox.businessName, STRING_COLUMN_LIMIT);
  // chatwoot app/models/inbox.rb: `length: { maximum: Limits::GREETING_MESSAGE_MAX_LENGTH }` and
  // `OUT_OF_OFFICE_MESSAGE_MAX_LENGTH`, both 10_000 (lib/limits.rb).
  checkColumnLength(errors, "greeting_message", inbox.greetingMessage, MESSAGE_LENGTH_LIMIT);
  checkColumnLength(errors, "out_of_office_message", inbox.outOfOfficeMessage, MESSAGE_LENGTH_LIMIT);
  if (isBlank(inbox.name)) errors.add("name", "can't be blank");
  if (!validTimezone(inbox.timezone)) errors.add("timezone", "is not included in the list");
}

/** Channel attributes (`EDITABLE_ATTRS`) for the emulated channel kinds. */
function applyChannelAttributes(channel: Channel, params: JsonObject, errors: ValidationErrors): void {
  if (channel.kind === "api") {
    const webhookUrl = scalarString(params.webhook_url);
    if (webhookUrl !== undefined) channel.webhookUrl = webhookUrl;
    const hmacMandatory = scalarBoolean(params.hmac_mandatory);
    if (hmacMandatory !== undefined && hmacMandatory !== null) channel.hmacMandatory = hmacMandatory;
    if (isPlainObject(params.additional_attributes))
      channel.additionalAttributes = params.additional_attributes as JsonMap;
    checkColumnLength(errors, "webhook_url", channel.webhookUrl, URL_LENGTH_LIMIT);
    const window = channel.additionalAttributes.agent_reply_time_window;
    if (!isBlank(window) && !(Number.parseInt(String(window), 10) > 0)) {
      errors.add("agent_reply_time_window", "agent_reply_time_window must be greater than 0");
    }
  } else if (channel.kind === "web_widget") {
    const strings: [string, "websiteUrl" | "widgetColor" | "welcomeTitle" | "welcomeTagline"][] = [
      ["website_url", "websiteUrl"],
      ["widget_color", "widgetColor"],
      ["welcome_title", "welcomeTitle"],
      ["welcome_tagline", "welcomeTagline"],
    ];
    for (const [param, field] of strings) {
      const value = scalarString(params[param]);
      if (value !== undefined) (channel as unknown as Record<string, unknown>)[field] = value;
    }
    const hmacMandatory = scalarBoolean(params.hmac_mandatory);
    if (hmacMandatory !== undefined && hmacMandatory !== null) channel.hmacMandatory = hmacMandatory;
    // On by default (a NOT NULL column, default true): Chatwoot then emails replies to the contact.
    const continuity = scalarBoolean(params.continuity_via_email);
    if (continuity !== undefined && continuity !== null) channel.continuityViaEmail = continuity;
    if (isBlank(channel.websiteUrl)) errors.add("website_url", "can't be blank");
    if (isBlank(channel.widgetColor)) errors.add("widget_color", "can't be blank");
  }
}

function index(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "inboxes#index");
  const inboxes = visibleInboxes(access).sort(
    (a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase(), "en") || a.id - b.id,
  );
  return jsonReply(200, { payload: inboxes.map((inbox) => inboxView(inbox, access.isAdmin)) });
}

function show(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "inboxes#show");
  const inbox = findInbox(access, ctx.pathParams.id);
  authorizeInbox(access, inbox);
  return jsonReply(200, inboxView(inbox, access.isAdmin));
}

/** `Channel::Line`: three required strings, `line_channel_id` unique (chatwoot app/models/channel/line.rb). */
function buildLineChannel(ctx: RequestContext, params: JsonObject, errors: ValidationErrors): Channel {
  const fields = {
    lineChannelId: scalarString(params.line_channel_id) ?? "",
    lineChannelSecret: scalarString(params.line_channel_secret) ?? "",
    lineChannelToken: scalarString(params.line_channel_token) ?? "",
  };
  const taken = [...ctx.state.store.accounts.values()].some((account) =>
    [...account.inboxes.values()].some(
      (inbox) => inbox.channel.kind === "line" && inbox.channel.lineChannelId === fields.lineChannelId,
    ),
  );
  if (isBlank(fields.lineChannelId)) errors.add("line_channel_id", "can't be blank");
  else if (taken) errors.add("line_channel_id", "has already been taken");
  if (isBlank(fields.lineChannelSecret)) errors.add("line_channel_secret", "can't be blank");
  if (isBlank(fields.lineChannelToken)) errors.add("line_channel_token", "can't be blank");
  return createLineChannel(ctx.state.store, fields);
}

function buildChannel(ctx: RequestContext, type: string, channelParams: JsonObject): Channel {
  const store = ctx.state.store;
  const errors = new ValidationErrors();
  let channel: Channel;
  if (type === "api") {
    channel = createApiChannel(store);
  } else if (type === "web_widget") {
    channel = createWebWidgetChannel(store, "");
  } else if (type === "line") {
    channel = buildLineChannel(ctx, channelParams, errors);
  } else {
    const email = scalarString(channelParams.email);
    if (email === undefined || email === null || isBlank(email)) throw internalServerError(); // NOT NULL column
    for (const account of store.accounts.values()) {
      for (const inbox of account.inboxes.values()) {
        if (inbox.channel.kind === "email" && inbox.channel.email === email)
          errors.add("email", "has already been taken");
      }
    }
    channel = createEmailChannel(store, email);
  }
  applyChannelAttributes(channel, channelParams, errors);
  if (!errors.empty) throw recordInvalid(errors);
  return channel;
}

/** Administrators only. Creates the channel first (its validation errors win), then the inbox. */
function create(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "inboxes#create");
  requireAdmin(access);
  const channelParams = ctx.params.channel;
  if (!isPlainObject(channelParams)) throw internalServerError();
  const type = String(channelParams.type ?? "");
  if (OTHER_CHANNEL_TYPES.includes(type)) {
    throw unprocessable(`The emulator does not support ${type} inboxes; use api, web_widget or email`);
  }
  const errors = new ValidationErrors();
  if (!EMULATED_CHANNEL_TYPES.includes(type)) {
    const name = scalarString(ctx.params.name);
    if (name === undefined || name === null || isBlank(name)) errors.add("name", "can't be blank");
    errors.add("channel", "must exist");
    throw recordInvalid(errors);
  }
  const channel = buildChannel(ctx, type, channelParams);
  const inbox = createInbox(ctx.state.store, access.account, "", channel);
  try {
    applyInboxAttributes(inbox, ctx.params, errors);
    if (!errors.empty) throw recordInvalid(errors);
  } catch (error) {
    ctx.state.store.removeInbox(access.account, inbox);
    throw error;
  }
  return jsonReply(200, inboxView(inbox, true));
}

const WORKING_HOUR_FIELDS: [string, keyof WorkingHour][] = [
  ["closed_all_day", "closedAllDay"],
  ["open_hour", "openHour"],
  ["open_minutes", "openMinutes"],
  ["close_hour", "closeHour"],
  ["close_minutes", "closeMinutes"],
  ["open_all_day", "openAllDay"],
];

/** `update_working_hours`: each entry updates the row of its `day_of_week`. */
function applyWorkingHours(inbox: Inbox, entries: unknown): void {
  if (!Array.isArray(entries)) return;
  for (const entry of entries) {
    if (!isPlainObject(entry)) continue;
    const hour = inbox.workingHours.find(
      (candidate) => String(candidate.dayOfWeek) === String(entry.day_of_week),
    );
    if (!hour) throw internalServerError(); // `find_by(...)` is nil, then `.update` on nil
    for (const [param, field] of WORKING_HOUR_FIELDS) {
      if (!(param in entry)) continue;
      const value = entry[param];
      (hour as unknown as Record<string, unknown>)[field] =
        field === "closedAllDay" || field === "openAllDay"
          ? castBoolean(permittedScalar(value) ?? null)
          : castIntegerColumn(value);
    }
  }
}

function update(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "inboxes#update");
  const inbox = findInbox(access, ctx.pathParams.id);
  authorizeInbox(access, inbox);
  requireAdmin(access);
  const errors = new ValidationErrors();
  const before = { ...inbox, channel: { ...inbox.channel } as Channel };
  applyInboxAttributes(inbox, ctx.params, errors);
  if (isPlainObject(ctx.params.csat_config)) inbox.csatConfig = ctx.params.csat_config as JsonMap;
  if (isPlainObject(ctx.params.channel)) applyChannelAttributes(inbox.channel, ctx.params.channel, errors);
  if (!errors.empty) {
    Object.assign(inbox, before);
    throw recordInvalid(errors);
  }
  applyWorkingHours(inbox, ctx.params.working_hours);
  inbox.updatedAtMs = Date.now();
  return jsonReply(200, inboxView(inbox, true));
}

/** Accepted at once; the inbox, its conversations and contact inboxes go in the background. */
function destroy(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "inboxes#destroy");
  const inbox = findInbox(access, ctx.pathParams.id);
  authorizeInbox(access, inbox);
  requireAdmin(access);
  inbox.deletionRequested = true;
  const { store, scheduler, settings } = ctx.state;
  scheduler.later(settings.cascadeDeleteDelayMs, () => {
    for (const conversation of [...access.account.conversations.values()]) {
      if (conversation.inbox === inbox) store.removeConversation(access.account, conversation);
    }
    for (const contact of access.account.contacts.values()) {
      for (const contactInbox of [...contact.contactInboxes]) {
        if (contactInbox.inbox === inbox) store.removeContactInbox(contactInbox);
      }
    }
    store.removeInbox(access.account, inbox);
  });
  return jsonReply(200, { message: "Your inbox deletion request will be processed in some time." });
}

export function registerInboxRoutes(router: Router): void {
  router
    .add("GET", P, index)
    .add("POST", P, create)
    .add("GET", `${P}/:id`, show)
    .add("PATCH", `${P}/:id`, update)
    .add("PUT", `${P}/:id`, update)
    .add("DELETE", `${P}/:id`, destroy);
}
