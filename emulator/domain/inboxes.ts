import type { Store } from "../store/store";
import { secureToken } from "../store/store";
import type {
  Account,
  ApiChannel,
  Channel,
  EmailChannel,
  LineChannel,
  Inbox,
  JsonMap,
  WebWidgetChannel,
  WorkingHour,
} from "../store/types";

/** `OutOfOffisable#create_default_working_hours`: closed on Sunday and Saturday, 9–17 otherwise. */
export function defaultWorkingHours(): WorkingHour[] {
  const hours: WorkingHour[] = [];
  for (let day = 0; day <= 6; day += 1) {
    const weekend = day === 0 || day === 6;
    hours.push({
      dayOfWeek: day,
      closedAllDay: weekend,
      openHour: weekend ? null : 9,
      openMinutes: weekend ? null : 0,
      closeHour: weekend ? null : 17,
      closeMinutes: weekend ? null : 0,
      openAllDay: false,
    });
  }
  return hours;
}

export function createApiChannel(
  store: Store,
  fields: { webhookUrl?: string | null; hmacMandatory?: boolean; additionalAttributes?: JsonMap } = {},
): ApiChannel {
  return {
    kind: "api",
    channelType: "Channel::Api",
    id: store.nextId("channel_api"),
    webhookUrl: fields.webhookUrl ?? null,
    hmacMandatory: fields.hmacMandatory ?? false,
    additionalAttributes: fields.additionalAttributes ?? {},
    identifier: secureToken(),
    hmacToken: secureToken(),
    secret: secureToken(),
  };
}

export function createWebWidgetChannel(store: Store, websiteUrl: string): WebWidgetChannel {
  return {
    kind: "web_widget",
    channelType: "Channel::WebWidget",
    id: store.nextId("channel_web_widgets"),
    websiteUrl,
    widgetColor: "#1f93ff",
    welcomeTitle: null,
    welcomeTagline: null,
    websiteToken: secureToken(),
    hmacToken: secureToken(),
    hmacMandatory: false,
    replyTime: "in_a_few_minutes",
    preChatFormEnabled: false,
    preChatFormOptions: {
      pre_chat_message: "Share your queries or comments here.",
      pre_chat_fields: [
        {
          field_type: "standard",
          label: "Email Id",
          name: "emailAddress",
          type: "email",
          required: true,
          enabled: false,
        },
        {
          field_type: "standard",
          label: "Full name",
          name: "fullName",
          type: "text",
          required: false,
          enabled: false,
        },
        {
          field_type: "standard",
          label: "Phone number",
          name: "phoneNumber",
          type: "text",
          required: false,
          enabled: false,
        },
      ],
    },
    continuityViaEmail: true,
    allowedDomains: "",
    selectedFeatureFlags: ["attachments", "emoji_picker", "end_conversation"],
  };
}

export function createEmailChannel(store: Store, email: string): EmailChannel {
  return {
    kind: "email",
    channelType: "Channel::Email",
    id: store.nextId("channel_email"),
    email,
    forwardToEmail: `${secureToken(16).toLowerCase()}@example.com`,
  };
}

export function createLineChannel(
  store: Store,
  fields: { lineChannelId: string; lineChannelSecret: string; lineChannelToken: string },
): LineChannel {
  return { kind: "line", channelType: "Channel::Line", id: store.nextId("channel_line"), ...fields };
}

export function createInbox(store: Store, account: Account, name: string, channel: Channel): Inbox {
  const now = Date.now();
  const inbox: Inbox = {
    id: store.nextId("inboxes"),
    accountId: account.id,
    name,
    channel,
    createdAtMs: now,
    updatedAtMs: now,
    enableAutoAssignment: true,
    greetingEnabled: false,
    greetingMessage: null,
    workingHoursEnabled: false,
    outOfOfficeMessage: null,
    timezone: "UTC",
    enableEmailCollect: true,
    csatSurveyEnabled: false,
    allowMessagesAfterResolved: true,
    autoAssignmentConfig: {},
    lockToSingleConversation: false,
    portalId: null,
    senderNameType: "friendly",
    businessName: null,
    csatConfig: {},
    workingHours: defaultWorkingHours(),
    memberIds: new Set(),
    roundRobinQueue: [],
    deletionRequested: false,
  };
  account.inboxes.set(inbox.id, inbox);
  return inbox;
}

export function isApiInbox(inbox: Inbox): boolean {
  return inbox.channel.kind === "api";
}
