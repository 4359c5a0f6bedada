/**
 * Seeds the demo data set (`dataset.yaml`, beside this file) into a Chatwoot API inbox with the
 * `Seed` component. The data names its inbox, agent and team (`api`, `frontline`, `support`);
 * stack config maps them to ids: `demo:inboxId`, `demo:agentId`, `demo:teamId`. The provider
 * itself reads `chatwoot:url`, `chatwoot:accountId` and `chatwoot:apiAccessToken` (secret).
 *
 * The repository's root project (`Pulumi.yaml` at the top, `npm run demo`) runs this same program.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Seed } from "pulumi-chatwoot";

const demo = new pulumi.Config("demo");

const seed = new Seed("demo", {
  // Resolved from this file, not from the working directory, which depends on how the program is run.
  data: path.join(__dirname, "dataset.yaml"),
  inboxes: { api: demo.requireNumber("inboxId") },
  agents: { frontline: demo.requireNumber("agentId") },
  teams: { support: demo.requireNumber("teamId") },
});

/** Contact ids by contact key. */
export const contactIds = seed.contactIds;

/** Dashboard URLs by `<contact key>/<conversation key>`. */
export const conversationUrls = seed.conversationUrls;

/** What the program declared, and how many messages Chatwoot holds for the seeded transcripts. */
export const counts = {
  contacts: Object.keys(seed.contacts).length,
  contactInboxes: Object.keys(seed.sessions).length,
  conversations: Object.keys(seed.conversations).length,
  messages: pulumi
    .all(Object.values(seed.conversations).map((conversation) => conversation.messageIds))
    .apply((idLists) => idLists.reduce((total, ids) => total + ids.length, 0)),
};

/** One line per conversation, as Chatwoot reports it: contact, status, priority, labels and URL. */
export const conversations = pulumi.output(
  Object.fromEntries(
    Object.entries(seed.conversations).map(([key, conversation]) => [
      key,
      {
        contact: seed.contacts[key.split("/")[0]].name,
        status: conversation.status,
        priority: conversation.priority.apply((priority) => priority ?? "none"),
        labels: conversation.labels,
        url: conversation.url,
      },
    ]),
  ),
);
