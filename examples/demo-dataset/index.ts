/**
 * Seeds the demo data set (`dataset.yaml`, beside this file) into an empty Chatwoot account with the
 * `Seed` component: the data declares its own API inbox and refers to everything by name, so no id
 * is needed. The provider reads `chatwoot:url`, `chatwoot:accountId` and `chatwoot:apiAccessToken`
 * (secret). Optional stack config:
 * - `demo:callbackUrl`: where the API inbox sends its callbacks (Chatwoot POSTs every new message
 *   there); `npm run demo` serves one and sets it.
 * - `demo:agentId`, `demo:teamId`: ids to use for the data's agent and team instead of looking
 *   their names up, for an account whose agent and team are named differently.
 *
 * The repository's root project (`Pulumi.yaml` at the top, `npm run demo`) runs this same program.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Seed, loadSeedData } from "pulumi-chatwoot";

const demo = new pulumi.Config("demo");

// Resolved from this file, not from the working directory, which depends on how the program is run.
const data = loadSeedData(path.join(__dirname, "dataset.yaml"));
const callbackUrl = demo.get("callbackUrl");
const agentId = demo.getNumber("agentId");
const teamId = demo.getNumber("teamId");

const declaredConversations = data.contacts.flatMap((contact) => contact.conversations ?? []);
/** Each of `names` (the data's agent or team references) mapped to the one id the user gave instead. */
const everyName = (names: ReadonlyArray<string | number | undefined>, id: number) =>
  Object.fromEntries(
    names.filter((name): name is string => typeof name === "string").map((name) => [name, id]),
  );

const seed = new Seed("demo", {
  data: {
    ...data,
    apiInboxes: (data.apiInboxes ?? []).map((inbox) =>
      callbackUrl === undefined ? inbox : { ...inbox, webhookUrl: callbackUrl },
    ),
  },
  ...(agentId === undefined
    ? {}
    : {
        agents: everyName(
          [
            ...declaredConversations.map((conversation) => conversation.assignee),
            ...(data.apiInboxes ?? []).flatMap((inbox) => inbox.agents ?? []),
          ],
          agentId,
        ),
      }),
  ...(teamId === undefined
    ? {}
    : {
        teams: everyName(
          declaredConversations.map((conversation) => conversation.team),
          teamId,
        ),
      }),
});

/** The API inbox the data declares: its id and the identifier its public API uses. */
export const apiInbox = {
  id: seed.apiInboxes["lumen-api"].inboxId,
  inboxIdentifier: seed.apiInboxes["lumen-api"].inboxIdentifier,
};

/** Contact ids by contact key. */
export const contactIds = seed.contactIds;

/** Dashboard URLs by `<contact key>/<conversation key>`. */
export const conversationUrls = seed.conversationUrls;

/** What the program declared, and how many messages Chatwoot holds for the seeded transcripts. */
export const counts = {
  apiInboxes: Object.keys(seed.apiInboxes).length,
  labels: Object.keys(seed.labels).length,
  attributeDefinitions: Object.keys(seed.customAttributeDefinitions).length,
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
