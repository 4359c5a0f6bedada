/**
 * The emulator's in-memory records. Field names follow Chatwoot's columns (camel-cased); timestamps
 * are epoch milliseconds and are converted to Chatwoot's mixed formats only in `views/`.
 */

export type JsonMap = Record<string, unknown>;

export type Role = "agent" | "administrator";
export type Availability = "online" | "offline" | "busy";

export interface User {
  id: number;
  name: string;
  displayName: string | null;
  email: string;
  accessToken: string;
  pubsubToken: string;
  customAttributes: JsonMap;
  messageSignature: string | null;
  uiSettings: JsonMap;
  createdAtMs: number;
}

/** Membership of a user in an account (`account_users`). */
export interface AccountUser {
  userId: number;
  role: Role;
  availability: Availability;
  autoOffline: boolean;
  activeAtMs: number | null;
}

export interface AgentBot {
  id: number;
  /** Bots belong to one account here; Chatwoot's global (system) bots are not emulated. */
  accountId: number;
  name: string;
  description: string;
  outgoingUrl: string;
  accessToken: string;
}

export interface Team {
  id: number;
  accountId: number;
  name: string;
  description: string | null;
  allowAutoAssign: boolean;
  memberIds: Set<number>;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface WorkingHour {
  dayOfWeek: number;
  closedAllDay: boolean;
  openHour: number | null;
  openMinutes: number | null;
  closeHour: number | null;
  closeMinutes: number | null;
  openAllDay: boolean;
}

export interface ApiChannel {
  kind: "api";
  channelType: "Channel::Api";
  id: number;
  webhookUrl: string | null;
  hmacMandatory: boolean;
  additionalAttributes: JsonMap;
  identifier: string;
  hmacToken: string;
  secret: string;
}

export interface WebWidgetChannel {
  kind: "web_widget";
  channelType: "Channel::WebWidget";
  id: number;
  websiteUrl: string;
  widgetColor: string;
  welcomeTitle: string | null;
  welcomeTagline: string | null;
  websiteToken: string;
  hmacToken: string;
  hmacMandatory: boolean;
  replyTime: "in_a_few_minutes" | "in_a_few_hours" | "in_a_day";
  preChatFormEnabled: boolean;
  preChatFormOptions: JsonMap;
  continuityViaEmail: boolean;
  allowedDomains: string;
  selectedFeatureFlags: string[];
}

export interface EmailChannel {
  kind: "email";
  channelType: "Channel::Email";
  id: number;
  email: string;
  forwardToEmail: string;
}

/**
 * A LINE inbox (chatwoot app/models/channel/line.rb). Emulated because Chatwoot cannot make its
 * contact inboxes without a source id (`ContactInboxBuilder#generate_source_id` raises for it).
 */
export interface LineChannel {
  kind: "line";
  channelType: "Channel::Line";
  id: number;
  lineChannelId: string;
  lineChannelSecret: string;
  lineChannelToken: string;
}

export type Channel = ApiChannel | WebWidgetChannel | EmailChannel | LineChannel;

export interface Inbox {
  id: number;
  accountId: number;
  name: string;
  channel: Channel;
  createdAtMs: number;
  updatedAtMs: number;
  enableAutoAssignment: boolean;
  greetingEnabled: boolean;
  greetingMessage: string | null;
  workingHoursEnabled: boolean;
  outOfOfficeMessage: string | null;
  timezone: string;
  enableEmailCollect: boolean;
  csatSurveyEnabled: boolean;
  allowMessagesAfterResolved: boolean;
  autoAssignmentConfig: JsonMap;
  lockToSingleConversation: boolean;
  portalId: number | null;
  senderNameType: "friendly" | "professional";
  businessName: string | null;
  csatConfig: JsonMap;
  workingHours: WorkingHour[];
  memberIds: Set<number>;
  /** Auto-assignment round-robin queue of member ids, newest at index 0. */
  roundRobinQueue: number[];
  /** Set once a delete was requested; the row disappears when the background delete runs. */
  deletionRequested: boolean;
}

export interface Contact {
  id: number;
  accountId: number;
  name: string | null;
  email: string | null;
  phoneNumber: string | null;
  identifier: string | null;
  blocked: boolean;
  additionalAttributes: JsonMap;
  customAttributes: JsonMap;
  /** `location`/`country_code` columns: copied from additional attributes *after* validation, so checked on the next save. */
  location: string | null;
  countryCode: string | null;
  contactType: "visitor" | "lead";
  lastActivityAtMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
  labels: string[];
  contactInboxes: ContactInbox[];
  conversations: Conversation[];
  deleted: boolean;
}

export interface ContactInbox {
  id: number;
  contact: Contact;
  inbox: Inbox;
  sourceId: string;
  hmacVerified: boolean;
  pubsubToken: string;
  createdAtMs: number;
  updatedAtMs: number;
}

export type ConversationStatus = "open" | "resolved" | "pending" | "snoozed";
export type Priority = "low" | "medium" | "high" | "urgent";

export interface Conversation {
  id: number;
  displayId: number;
  accountId: number;
  uuid: string;
  inbox: Inbox;
  contact: Contact;
  contactInbox: ContactInbox;
  status: ConversationStatus;
  priority: Priority | null;
  assigneeId: number | null;
  assigneeAgentBotId: number | null;
  teamId: number | null;
  additionalAttributes: JsonMap;
  customAttributes: JsonMap;
  labels: string[];
  snoozedUntilMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
  lastActivityAtMs: number;
  agentLastSeenAtMs: number | null;
  assigneeLastSeenAtMs: number | null;
  contactLastSeenAtMs: number | null;
  firstReplyCreatedAtMs: number | null;
  waitingSinceMs: number | null;
  /** Ordered by creation (id). */
  messages: Message[];
  messagesById: Map<number, Message>;
  deleted: boolean;
}

export type MessageSender =
  { kind: "user"; user: User } | { kind: "contact"; contact: Contact } | { kind: "bot"; bot: AgentBot };

export const MESSAGE_TYPES = ["incoming", "outgoing", "activity", "template"] as const;
export type MessageTypeName = (typeof MESSAGE_TYPES)[number];

export const CONTENT_TYPES = [
  "text",
  "input_text",
  "input_textarea",
  "input_email",
  "input_select",
  "cards",
  "form",
  "article",
  "incoming_email",
  "input_csat",
  "integrations",
  "sticker",
  "voice_call",
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export const MESSAGE_STATUSES = ["sent", "delivered", "read", "failed"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface Message {
  id: number;
  accountId: number;
  inboxId: number;
  conversation: Conversation;
  content: string | null;
  messageType: MessageTypeName;
  contentType: ContentType;
  status: MessageStatus;
  private: boolean;
  sourceId: string | null;
  contentAttributes: JsonMap;
  additionalAttributes: JsonMap;
  processedMessageContent: string | null;
  sender: MessageSender | null;
  createdAtMs: number;
  updatedAtMs: number;
  /** Echoed back only in the create response (`attr_accessor :echo_id`). */
  echoId?: unknown;
}

export interface Label {
  id: number;
  accountId: number;
  title: string | null;
  description: string | null;
  color: string;
  showOnSidebar: boolean | null;
  createdAtMs: number;
  updatedAtMs: number;
}

/** `CustomAttributeDefinition.attribute_model`'s enum names (company from 4.14.0). */
export type AttributeModel = "conversation_attribute" | "contact_attribute" | "company_attribute";
/** `CustomAttributeDefinition.attribute_display_type`'s enum names. */
export type AttributeDisplayType =
  "text" | "number" | "currency" | "percent" | "link" | "date" | "list" | "checkbox";

/** A row of `custom_attribute_definitions` (chatwoot app/models/custom_attribute_definition.rb). */
export interface CustomAttributeDefinition {
  id: number;
  accountId: number;
  attributeDisplayName: string | null;
  attributeKey: string | null;
  attributeDisplayType: AttributeDisplayType | null;
  attributeModel: AttributeModel | null;
  attributeDescription: string | null;
  /** jsonb: whatever array of scalars was sent (the list type's options). */
  attributeValues: unknown[];
  regexPattern: string | null;
  regexCue: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface Account {
  id: number;
  name: string;
  status: "active" | "suspended";
  createdAtMs: number;
  members: Map<number, AccountUser>;
  contacts: Map<number, Contact>;
  /** Uniqueness indexes: lower-cased email, exact phone number, exact identifier. */
  contactIdByEmail: Map<string, number>;
  contactIdByPhone: Map<string, number>;
  contactIdByIdentifier: Map<string, number>;
  inboxes: Map<number, Inbox>;
  /** Keyed by display id. */
  conversations: Map<number, Conversation>;
  nextDisplayId: number;
  labels: Map<number, Label>;
  customAttributeDefinitions: Map<number, CustomAttributeDefinition>;
  teams: Map<number, Team>;
  bots: Map<number, AgentBot>;
}
