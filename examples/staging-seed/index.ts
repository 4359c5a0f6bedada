/**
 * Seeds a Chatwoot staging account: four customers, each with a contact inbox (the session their
 * messages arrive through) and a conversation, together covering every status and priority, with
 * labels, private notes, an assignee and a team.
 *
 * Stack config: `chatwoot:url`, `chatwoot:accountId`, `chatwoot:apiAccessToken` (secret) for the
 * provider, and `staging:inboxId` (an API inbox), `staging:agentId`, `staging:teamId` for the data.
 */
import * as pulumi from "@pulumi/pulumi";
import * as chatwoot from "pulumi-chatwoot";

const staging = new pulumi.Config("staging");
const inboxId = staging.requireNumber("inboxId");
const agentId = staging.requireNumber("agentId");
const teamId = staging.requireNumber("teamId");
// A fixed wake-up time: one computed from the clock would change the conversation on every `up`.
const snoozedUntil = staging.get("snoozedUntil") ?? "2030-01-07T09:00:00Z";

// Priya: an enterprise customer with an urgent, open billing problem, assigned to an agent and a team.
const priya = new chatwoot.Contact("priya", {
  name: "Priya Raman",
  email: "priya.raman@example.com",
  phoneNumber: "+14155550142",
  identifier: "crm-20481",
  customAttributes: { plan: "enterprise", seats: 40 },
  additionalAttributes: { company_name: "Northwind Traders", city: "San Francisco" },
  labels: ["vip"],
});
const priyaSession = new chatwoot.ContactInbox("priya-api", { contactId: priya.contactId, inboxId });
const priyaInvoice = new chatwoot.Conversation("priya-invoice", {
  inboxId,
  contactId: priya.contactId,
  sourceId: priyaSession.sourceId,
  status: "open",
  priority: "urgent",
  labels: ["billing", "enterprise"],
  assigneeId: agentId,
  teamId,
  messages: [
    { content: "Our March invoice charges 52 seats, but we only have 40.", messageType: "incoming" },
    { content: "Thanks Priya, I'm checking the seat count with billing now.", messageType: "outgoing" },
    { content: "Seat sync bug again, see BILL-311.", messageType: "outgoing", private: true },
  ],
});

// Marco: a starter customer whose onboarding question was answered and resolved.
const marco = new chatwoot.Contact("marco", {
  name: "Marco Bianchi",
  email: "marco.bianchi@example.org",
  phoneNumber: "+393471234567",
  identifier: "crm-20577",
  customAttributes: { plan: "starter" },
  additionalAttributes: { company_name: "Bianchi Design", city: "Milan" },
});
const marcoSession = new chatwoot.ContactInbox("marco-api", { contactId: marco.contactId, inboxId });
const marcoOnboarding = new chatwoot.Conversation("marco-onboarding", {
  inboxId,
  contactId: marco.contactId,
  sourceId: marcoSession.sourceId,
  status: "resolved",
  priority: "low",
  labels: ["onboarding"],
  teamId,
  messages: [
    { content: "How do I invite my team?", messageType: "incoming" },
    { content: "Settings, then Members, then Invite: they get an email link.", messageType: "outgoing" },
    { content: "Got it, thanks!", messageType: "incoming" },
    { content: "Sent him the onboarding checklist too.", messageType: "outgoing", private: true },
  ],
});

// Keiko: a feature request waiting on the product team.
const keiko = new chatwoot.Contact("keiko", {
  name: "Keiko Tanaka",
  email: "keiko.tanaka@example.com",
  phoneNumber: "+81312345678",
  customAttributes: { plan: "business" },
  labels: ["beta-tester"],
});
const keikoSession = new chatwoot.ContactInbox("keiko-api", { contactId: keiko.contactId, inboxId });
const keikoExport = new chatwoot.Conversation("keiko-export", {
  inboxId,
  contactId: keiko.contactId,
  sourceId: keikoSession.sourceId,
  status: "pending",
  priority: "medium",
  labels: ["feature-request"],
  assigneeId: agentId,
  messages: [
    { content: "Can we export the monthly report as CSV?", messageType: "incoming" },
    {
      content: "Waiting on product to confirm the CSV export timeline.",
      messageType: "outgoing",
      private: true,
    },
  ],
});

// Samuel: a renewal that waits for the customer's budget meeting.
const samuel = new chatwoot.Contact("samuel", {
  name: "Samuel Okafor",
  email: "samuel.okafor@example.com",
  identifier: "crm-20655",
  additionalAttributes: { company_name: "Okafor Logistics", city: "Lagos" },
});
const samuelSession = new chatwoot.ContactInbox("samuel-api", { contactId: samuel.contactId, inboxId });
const samuelRenewal = new chatwoot.Conversation("samuel-renewal", {
  inboxId,
  contactId: samuel.contactId,
  sourceId: samuelSession.sourceId,
  status: "snoozed",
  snoozedUntil,
  priority: "high",
  labels: ["renewal", "sales"],
  assigneeId: agentId,
  teamId,
  messages: [
    { content: "We'd like to renew, after our budget meeting next month.", messageType: "incoming" },
    { content: "Sounds good, I'll follow up then.", messageType: "outgoing" },
    { content: "Snoozed until the budget meeting.", messageType: "outgoing", private: true },
  ],
});

/** Contact ids, to look the customers up in Chatwoot or reference them from other stacks. */
export const contactIds = {
  priya: priya.contactId,
  marco: marco.contactId,
  keiko: keiko.contactId,
  samuel: samuel.contactId,
};

/** Each conversation's page in the Chatwoot dashboard. */
export const conversationUrls = {
  "priya-invoice": priyaInvoice.url,
  "marco-onboarding": marcoOnboarding.url,
  "keiko-export": keikoExport.url,
  "samuel-renewal": samuelRenewal.url,
};

/** The source ids of the contact inboxes, for posting more messages through Chatwoot's public API. */
export const sourceIds = {
  priya: priyaSession.sourceId,
  marco: marcoSession.sourceId,
  keiko: keikoSession.sourceId,
  samuel: samuelSession.sourceId,
};
