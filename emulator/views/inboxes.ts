import type { ContactInbox, Inbox } from "../store/types";
import { isoTime } from "./time";

/** `_inbox_slim.json.jbuilder`, used inside contact inboxes and contactable inboxes. */
export function inboxSlimView(inbox: Inbox): Record<string, unknown> {
  return {
    id: inbox.id,
    avatar_url: "",
    channel_id: inbox.channel.id,
    name: inbox.name,
    channel_type: inbox.channel.channelType,
    provider: null,
  };
}

/** `_contact_inbox.json.jbuilder`: no id and no hmac flag are exposed. */
export function contactInboxView(contactInbox: ContactInbox): Record<string, unknown> {
  return { source_id: contactInbox.sourceId, inbox: inboxSlimView(contactInbox.inbox) };
}

/**
 * The raw `Inbox#as_json` (every column, ISO times) that `POST /contacts` embeds in
 * `payload.contact_inbox.inbox` — a different shape from the slim inbox used elsewhere.
 */
export function inboxRecordView(inbox: Inbox): Record<string, unknown> {
  return {
    id: inbox.id,
    channel_id: inbox.channel.id,
    account_id: inbox.accountId,
    name: inbox.name,
    created_at: isoTime(inbox.createdAtMs),
    updated_at: isoTime(inbox.updatedAtMs),
    channel_type: inbox.channel.channelType,
    enable_auto_assignment: inbox.enableAutoAssignment,
    greeting_enabled: inbox.greetingEnabled,
    greeting_message: inbox.greetingMessage,
    email_address: null,
    working_hours_enabled: inbox.workingHoursEnabled,
    out_of_office_message: inbox.outOfOfficeMessage,
    timezone: inbox.timezone,
    enable_email_collect: inbox.enableEmailCollect,
    csat_survey_enabled: inbox.csatSurveyEnabled,
    allow_messages_after_resolved: inbox.allowMessagesAfterResolved,
    auto_assignment_config: inbox.autoAssignmentConfig,
    lock_to_single_conversation: inbox.lockToSingleConversation,
    portal_id: inbox.portalId,
    sender_name_type: inbox.senderNameType,
    business_name: inbox.businessName,
    csat_config: inbox.csatConfig,
  };
}

function workingHoursView(inbox: Inbox): Record<string, unknown>[] {
  return inbox.workingHours.map((hour) => ({
    day_of_week: hour.dayOfWeek,
    closed_all_day: hour.closedAllDay,
    open_hour: hour.openHour,
    open_minutes: hour.openMinutes,
    close_hour: hour.closeHour,
    close_minutes: hour.closeMinutes,
    open_all_day: hour.openAllDay,
  }));
}

function webWidgetScript(websiteToken: string): string {
  return `
    <script>
      (function(d,t) {
        var BASE_URL="";
        var g=d.createElement(t),s=d.getElementsByTagName(t)[0];
        g.src=BASE_URL+"/packs/js/sdk.js";
        g.async = true;
        s.parentNode.insertBefore(g,s);
        g.onload=function(){
          window.chatwootSDK.run({
            websiteToken: '${websiteToken}',
            baseUrl: BASE_URL
          })
        }
      })(document,"script");
    </script>
    `;
}

/** `_inbox.json.jbuilder`; secrets (`hmac_token`, `secret`) only for administrators. */
export function inboxView(inbox: Inbox, viewerIsAdmin: boolean): Record<string, unknown> {
  const channel = inbox.channel;
  const widget = channel.kind === "web_widget" ? channel : null;
  const view: Record<string, unknown> = {
    id: inbox.id,
    avatar_url: "",
    channel_id: channel.id,
    name: inbox.name,
    channel_type: channel.channelType,
    greeting_enabled: inbox.greetingEnabled,
    greeting_message: inbox.greetingMessage,
    working_hours_enabled: inbox.workingHoursEnabled,
    enable_email_collect: inbox.enableEmailCollect,
    csat_survey_enabled: inbox.csatSurveyEnabled,
    csat_config: inbox.csatConfig,
    enable_auto_assignment: inbox.enableAutoAssignment,
    auto_assignment_config: inbox.autoAssignmentConfig,
    out_of_office_message: inbox.outOfOfficeMessage,
    working_hours: workingHoursView(inbox),
    timezone: inbox.timezone,
    callback_webhook_url: null,
    allow_messages_after_resolved: inbox.allowMessagesAfterResolved,
    lock_to_single_conversation: inbox.lockToSingleConversation,
    sender_name_type: inbox.senderNameType,
    business_name: inbox.businessName,
    allowed_domains: widget ? widget.allowedDomains : null,
    widget_color: widget ? widget.widgetColor : null,
    website_url: widget ? widget.websiteUrl : null,
    hmac_mandatory: channel.kind === "api" || channel.kind === "web_widget" ? channel.hmacMandatory : null,
    welcome_title: widget ? widget.welcomeTitle : null,
    welcome_tagline: widget ? widget.welcomeTagline : null,
    web_widget_script: widget ? webWidgetScript(widget.websiteToken) : null,
    website_token: widget ? widget.websiteToken : null,
    selected_feature_flags: widget ? widget.selectedFeatureFlags : null,
    reply_time: widget ? widget.replyTime : null,
  };
  if (widget) {
    if (viewerIsAdmin) view.hmac_token = widget.hmacToken;
    view.pre_chat_form_enabled = widget.preChatFormEnabled;
    view.pre_chat_form_options = widget.preChatFormOptions;
    view.continuity_via_email = widget.continuityViaEmail;
  }
  view.messaging_service_sid = null;
  view.phone_number = null;
  if (channel.kind === "email") {
    view.email = channel.email;
    view.forwarding_enabled = false;
    if (viewerIsAdmin) {
      Object.assign(view, {
        imap_login: "",
        imap_password: "",
        imap_address: "",
        imap_port: 0,
        imap_enabled: false,
        imap_enable_ssl: true,
        imap_authentication: "plain",
        smtp_login: "",
        smtp_password: "",
        smtp_address: "",
        smtp_port: 0,
        smtp_enabled: false,
        smtp_domain: "",
        smtp_enable_ssl_tls: false,
        smtp_enable_starttls_auto: true,
        smtp_openssl_verify_mode: "none",
        smtp_authentication: "login",
      });
    }
  }
  if (channel.kind === "api") {
    if (viewerIsAdmin) {
      view.hmac_token = channel.hmacToken;
      view.secret = channel.secret;
    }
    view.webhook_url = channel.webhookUrl;
    view.inbox_identifier = channel.identifier;
    view.additional_attributes = channel.additionalAttributes;
  }
  view.provider = null;
  return view;
}
