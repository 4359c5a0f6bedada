import type { ChatwootClient } from "../client/client";
import { isNotFound } from "../client/errors";
import { accountPath } from "./paths";
import {
  CustomAttributeDefinitionJson,
  customAttributeDefinitionListSchema,
  customAttributeDefinitionSchema,
} from "./schemas";

/** `attribute_model`'s enum names for the two models a definition can describe here. */
export type AttributeModelName = "contact_attribute" | "conversation_attribute";

/**
 * The attributes `CustomAttributeDefinitionsController#permitted_payload` takes, in Chatwoot's names
 * (chatwoot app/controllers/api/v1/accounts/custom_attribute_definitions_controller.rb).
 */
export interface CustomAttributeDefinitionAttributes {
  attribute_display_name?: string;
  attribute_key?: string;
  attribute_model?: AttributeModelName;
  attribute_display_type?: string;
  attribute_description?: string | null;
  attribute_values?: string[];
  regex_pattern?: string | null;
  regex_cue?: string | null;
}

export class CustomAttributeDefinitionsApi {
  constructor(
    private readonly client: ChatwootClient,
    private readonly accountId: number,
  ) {}

  /** The account's definitions of one model (`GET /custom_attribute_definitions?attribute_model=`). */
  async list(model: AttributeModelName): Promise<CustomAttributeDefinitionJson[]> {
    return this.client.request({
      method: "GET",
      path: accountPath(this.accountId, "custom_attribute_definitions"),
      query: { attribute_model: model },
      schema: customAttributeDefinitionListSchema,
    });
  }

  /** The definition, or `undefined` when Chatwoot answers 404. */
  async find(id: number): Promise<CustomAttributeDefinitionJson | undefined> {
    try {
      return await this.client.request({
        method: "GET",
        path: accountPath(this.accountId, "custom_attribute_definitions", id),
        schema: customAttributeDefinitionSchema,
      });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Not idempotent: callers look the definition up by key and model before repeating it. */
  async create(attributes: CustomAttributeDefinitionAttributes): Promise<CustomAttributeDefinitionJson> {
    return this.client.request({
      method: "POST",
      path: accountPath(this.accountId, "custom_attribute_definitions"),
      body: { custom_attribute_definition: attributes },
      schema: customAttributeDefinitionSchema,
    });
  }

  async update(
    id: number,
    attributes: CustomAttributeDefinitionAttributes,
  ): Promise<CustomAttributeDefinitionJson> {
    return this.client.request({
      method: "PATCH",
      path: accountPath(this.accountId, "custom_attribute_definitions", id),
      body: { custom_attribute_definition: attributes },
      schema: customAttributeDefinitionSchema,
    });
  }

  /** Deletes the definition (204); `false` when it was already gone. */
  async delete(id: number): Promise<boolean> {
    try {
      await this.client.request({
        method: "DELETE",
        path: accountPath(this.accountId, "custom_attribute_definitions", id),
        schema: null,
      });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}
