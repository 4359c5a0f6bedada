import type { ChatwootClient } from "../client/client";
import { accountPath } from "./paths";
import { agentArraySchema, teamArraySchema } from "./schemas";

/**
 * The account's agents, teams and labels as Chatwoot lists them, each in one unpaginated GET that
 * any member of the account may send (chatwoot app/controllers/api/v1/accounts/agents_controller.rb,
 * teams_controller.rb, labels_controller.rb and their policies, v4.0.0 to 4.14.2). Inboxes are
 * `InboxesApi.list`.
 */
export class DirectoryApi {
  constructor(
    private readonly client: ChatwootClient,
    private readonly accountId: number,
  ) {}

  async agents() {
    return this.client.request({
      method: "GET",
      path: accountPath(this.accountId, "agents"),
      schema: agentArraySchema,
    });
  }

  async teams() {
    return this.client.request({
      method: "GET",
      path: accountPath(this.accountId, "teams"),
      schema: teamArraySchema,
    });
  }
}
