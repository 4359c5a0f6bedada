/**
 * Contacts declared beside the stack that runs Chatwoot: their connection (URL, API access token,
 * account) comes from that stack's outputs, not from this stack's `chatwoot:*` config.
 *
 * - With `platform:stack` set (e.g. `acme/chatwoot-platform/prod`), the outputs `chatwootUrl`,
 *   `chatwootAccountId` and the secret `chatwootApiAccessToken` are read through a StackReference.
 * - Without it (as in this repository's tests, whose engine harness cannot read other stacks), a
 *   stand-in resource plays that stack: its outputs come from `platform:url`, `platform:accountId` and
 *   the secret `platform:apiAccessToken`.
 *
 * Either way the token stays a secret in this stack's state, and when the platform rotates it, the
 * next `pulumi up` records the new one on each resource (an update that sends nothing to Chatwoot);
 * `pulumi refresh` and `pulumi destroy` then use it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as chatwoot from "pulumi-chatwoot";

const platform = new pulumi.Config("platform");

/** Stands in for the platform stack: a resource whose outputs are Chatwoot's URL, token and account. */
class ChatwootPlatform extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly apiAccessToken: pulumi.Output<string>;
  readonly accountId: pulumi.Output<number>;

  constructor(name: string) {
    super("example:platform:Chatwoot", name, {});
    // Outputs of this resource, as a StackReference's are outputs of the reference.
    const own = <T>(value: pulumi.Input<T>) => pulumi.all([this.urn, value]).apply(([, v]) => v);
    this.url = own(platform.require("url"));
    this.apiAccessToken = own(platform.requireSecret("apiAccessToken"));
    this.accountId = own(platform.requireNumber("accountId"));
    this.registerOutputs({ url: this.url, apiAccessToken: this.apiAccessToken, accountId: this.accountId });
  }
}

function platformConnection(): chatwoot.ConnectionArgs {
  const stackName = platform.get("stack");
  if (stackName === undefined) {
    const standIn = new ChatwootPlatform("platform");
    return { url: standIn.url, apiAccessToken: standIn.apiAccessToken, accountId: standIn.accountId };
  }
  const platformStack = new pulumi.StackReference(stackName);
  return {
    url: platformStack.requireOutput("chatwootUrl") as pulumi.Output<string>,
    apiAccessToken: platformStack.requireOutput("chatwootApiAccessToken") as pulumi.Output<string>,
    accountId: platformStack.requireOutput("chatwootAccountId") as pulumi.Output<number>,
  };
}

const connection = platformConnection();

const onCall = new chatwoot.Contact("on-call", {
  name: "On-call engineer",
  email: "on-call@example.com",
  labels: ["internal"],
  connection,
});

// A Seed passes the same connection to every resource it declares.
const team = new chatwoot.Seed("team", {
  connection,
  data: {
    contacts: [
      { key: "sre-lead", name: "SRE lead", email: "sre-lead@example.com", labels: ["internal"] },
      { key: "support-lead", name: "Support lead", email: "support-lead@example.com", labels: ["internal"] },
    ],
  },
});

export const onCallContactId = onCall.contactId;
export const teamContactIds = team.contactIds;
