import type { ChatwootClient } from "../client/client";
import { isNotFound } from "../client/errors";
import { accountPath } from "./paths";
import { LabelJson, accountLabelListSchema, labelSchema } from "./schemas";

/** The attributes `LabelsController#permitted_params` permits (chatwoot labels_controller.rb). */
export interface LabelAttributes {
  title?: string;
  description?: string | null;
  color?: string;
  show_on_sidebar?: boolean;
}

/**
 * An account's labels (`/api/v1/accounts/:id/labels`). Chatwoot's `LabelPolicy` lets agents list
 * them and only administrators show, create, update or delete one.
 */
export class LabelsApi {
  constructor(
    private readonly client: ChatwootClient,
    private readonly accountId: number,
  ) {}

  /** The label, or `undefined` when Chatwoot answers 404. */
  async find(labelId: number): Promise<LabelJson | undefined> {
    try {
      return await this.client.request({
        method: "GET",
        path: accountPath(this.accountId, "labels", labelId),
        schema: labelSchema,
      });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Every label of the account, ordered by title (`Label`'s default scope). */
  async list(): Promise<LabelJson[]> {
    const answer = await this.client.request({
      method: "GET",
      path: accountPath(this.accountId, "labels"),
      schema: accountLabelListSchema,
    });
    return answer.payload;
  }

  /** Creates a label; not idempotent, so callers look it up by title before repeating. */
  async create(label: LabelAttributes): Promise<LabelJson> {
    return this.client.request({
      method: "POST",
      path: accountPath(this.accountId, "labels"),
      body: { label },
      schema: labelSchema,
    });
  }

  async update(labelId: number, label: LabelAttributes): Promise<LabelJson> {
    return this.client.request({
      method: "PATCH",
      path: accountPath(this.accountId, "labels", labelId),
      body: { label },
      schema: labelSchema,
    });
  }

  /** Deletes the label; `false` when it was already gone. */
  async delete(labelId: number): Promise<boolean> {
    try {
      await this.client.request({
        method: "DELETE",
        path: accountPath(this.accountId, "labels", labelId),
        schema: null,
      });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}
