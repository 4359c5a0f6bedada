import {
  AttributeModelName,
  CustomAttributeDefinitionAttributes,
  CustomAttributeDefinitionsApi,
} from "../../chatwoot/customAttributeDefinitions";
import type { CustomAttributeDefinitionJson } from "../../chatwoot/schemas";
import { Connection, connect } from "../../dynamic/context";
import type { Implementation } from "../../dynamic/implementation";
import { CheckFailure, checkFields } from "../../validation/check";
import { containsUnknown } from "../../validation/unknown";
import { absent, applyDefaultAccount } from "../account";
import { createExactlyOnce } from "../createOnce";
import { deepEqual } from "../equality";
import { ProviderError, adminOnlyFailure, failure } from "../errors";
import { diffFields } from "../fields";
import {
  AttributeModel,
  CustomAttributeDefinitionInputs,
  CustomAttributeDefinitionOutputs,
  STANDARD_ATTRIBUTES,
  customAttributeDefinitionFieldSchemas,
  customAttributeDefinitionFields,
} from "./spec";

type Inputs = CustomAttributeDefinitionInputs & { attributeModel: AttributeModel; attributeKey: string };

/** Chatwoot's `attribute_model` name of a model. */
function modelName(model: AttributeModel): AttributeModelName {
  return `${model}_attribute`;
}

export const customAttributeDefinitionImplementation: Implementation = {
  async check(_olds, news) {
    const { inputs, failures } = checkFields(
      "CustomAttributeDefinition",
      news,
      customAttributeDefinitionFieldSchemas,
    );
    failures.push(...applyDefaultAccount(inputs));
    failures.push(...crossFieldFailures(news, inputs as CustomAttributeDefinitionInputs));
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const { changed, replaces } = diffFields(customAttributeDefinitionFields, olds, news);
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(raw) {
    const inputs = raw as unknown as Inputs;
    const connection = connect(inputs.accountId);
    const api = new CustomAttributeDefinitionsApi(connection.client, connection.accountId);
    const what = `${inputs.attributeModel} attribute "${inputs.attributeKey}"`;
    try {
      const existing = await findByKey(api, inputs);
      if (existing !== undefined && !inputs.adopt) throw clashError(what, existing, connection.accountId);
      if (existing === undefined) {
        const created = await createDefinition(api, connection, inputs);
        return {
          id: String(created.id),
          outs: { ...outputsOf(created, connection.accountId, inputs.adopt, false) },
        };
      }
      // Adopted: one PATCH brings it to the inputs; nothing is left half-made if that fails.
      const live = await reconcile(api, existing, inputs);
      return { id: String(live.id), outs: { ...outputsOf(live, connection.accountId, inputs.adopt, true) } };
    } catch (error) {
      throw writeFailure(`Creating the ${what}`, error);
    }
  },

  async read(id, props) {
    const recorded = props as unknown as CustomAttributeDefinitionOutputs;
    const connection = connect(recorded.accountId);
    const api = new CustomAttributeDefinitionsApi(connection.client, connection.accountId);
    try {
      const live = await api.find(Number(id));
      // Gone: an empty id tells the engine to drop the resource, and the next `up` recreates it.
      if (live === undefined) return { id: "" };
      const outs = outputsOf(live, connection.accountId, recorded.adopt, recorded.adopted ?? false);
      return { id, props: { ...outs }, inputs: impliedInputs(outs) };
    } catch (error) {
      throw failure(`Reading custom attribute definition ${id}`, error);
    }
  },

  async update(id, olds, news) {
    const recorded = olds as unknown as CustomAttributeDefinitionOutputs;
    const inputs = news as CustomAttributeDefinitionInputs;
    const connection = connect(inputs.accountId ?? recorded.accountId);
    const api = new CustomAttributeDefinitionsApi(connection.client, connection.accountId);
    try {
      const live = await api.find(Number(id));
      if (live === undefined) {
        throw new ProviderError(
          `custom attribute definition ${id} no longer exists in Chatwoot; run \`pulumi refresh\` so that the next \`pulumi up\` recreates it`,
        );
      }
      const updated = await reconcile(api, live, inputs);
      return {
        outs: { ...outputsOf(updated, connection.accountId, inputs.adopt, recorded.adopted ?? false) },
      };
    } catch (error) {
      throw writeFailure(`Updating custom attribute definition ${id}`, error);
    }
  },

  async delete(id, props) {
    const recorded = props as unknown as CustomAttributeDefinitionOutputs;
    const connection = connect(recorded.accountId);
    try {
      // Already gone is fine: the goal of a delete is reached either way. The values stored under the
      // key on contacts and conversations stay (Chatwoot's destroy leaves them).
      await new CustomAttributeDefinitionsApi(connection.client, connection.accountId).delete(Number(id));
    } catch (error) {
      throw writeFailure(`Deleting custom attribute definition ${id}`, error);
    }
  },
};

/**
 * Wraps a failed write. From 4.14.0 `CustomAttributeDefinitionPolicy` lets only administrators
 * create, update and delete definitions, and Chatwoot answers an agent 401; say so plainly.
 */
function writeFailure(action: string, error: unknown): Error {
  return adminOnlyFailure(
    action,
    "create, update and delete custom attribute definitions (Chatwoot 4.14 and later)",
    error,
  );
}

/** The rules that read two fields; a field not known yet (preview) is checked once it is. */
function crossFieldFailures(
  news: Record<string, unknown>,
  inputs: CustomAttributeDefinitionInputs,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const required: Array<[keyof CustomAttributeDefinitionInputs, string]> = [
    ["attributeModel", "contact or conversation, the records that carry the attribute"],
    ["attributeKey", "the key under custom_attributes"],
    ["displayName", "the name the dashboard shows"],
  ];
  for (const [field, meaning] of required) {
    if (absent(news[field])) failures.push({ property: field, reason: `[${field}] is required: ${meaning}` });
  }
  const known = (value: unknown) => value !== undefined && !containsUnknown(value);
  const { attributeModel, attributeKey, displayType, listValues, regexPattern, regexCue } = inputs;
  if (
    known(attributeModel) &&
    known(attributeKey) &&
    attributeModel !== undefined &&
    attributeKey !== undefined
  ) {
    if (STANDARD_ATTRIBUTES[attributeModel]?.includes(attributeKey)) {
      failures.push({
        property: "attributeKey",
        reason:
          `[attributeKey] "${attributeKey}" is a standard ${attributeModel} attribute, which Chatwoot refuses as a ` +
          `custom key (it might conflict with default attributes); choose another key`,
      });
    }
  }
  if (displayType === undefined || known(displayType)) {
    const type = displayType ?? "text";
    const values = containsUnknown(listValues) ? undefined : (listValues ?? []);
    if (type === "list" && values !== undefined && values.length === 0) {
      failures.push({
        property: "listValues",
        reason: "[listValues] is required for displayType list: its options",
      });
    }
    if (type !== "list" && values !== undefined && values.length > 0) {
      failures.push({
        property: "listValues",
        reason: `[listValues] is only for displayType list, not ${type}`,
      });
    }
    if (type !== "text" && regexPattern !== undefined) {
      failures.push({
        property: "regexPattern",
        reason: `[regexPattern] is only for displayType text (Chatwoot's dashboard checks text attributes only), not ${type}`,
      });
    }
  }
  if (regexCue !== undefined && absent(news.regexPattern)) {
    failures.push({
      property: "regexCue",
      reason: "[regexCue] needs a regexPattern: it is the hint for values that do not match",
    });
  }
  return failures;
}

/**
 * The account's definition with this key and model, if there is one. Chatwoot keeps the pair unique
 * per account (`attribute_key_model_index`, and the model's uniqueness validation), compared exactly.
 */
async function findByKey(
  api: CustomAttributeDefinitionsApi,
  inputs: Inputs,
): Promise<CustomAttributeDefinitionJson | undefined> {
  const model = modelName(inputs.attributeModel);
  return (await api.list(model)).find(
    (definition) => definition.attribute_key === inputs.attributeKey && definition.attribute_model === model,
  );
}

function clashError(what: string, existing: CustomAttributeDefinitionJson, accountId: number): ProviderError {
  return new ProviderError(
    `the ${what} is already defined in account ${accountId}: definition ${existing.id} ` +
      `("${existing.attribute_display_name ?? ""}"). Set \`adopt: true\` to manage that definition with this ` +
      "resource, or change [attributeKey].",
  );
}

/** POSTs the definition; a lost answer is followed by a lookup by key before any new attempt. */
async function createDefinition(
  api: CustomAttributeDefinitionsApi,
  connection: Connection,
  inputs: Inputs,
): Promise<CustomAttributeDefinitionJson> {
  return createExactlyOnce({
    create: () =>
      api.create({
        attribute_key: inputs.attributeKey,
        attribute_model: modelName(inputs.attributeModel),
        ...wantedAttributes(inputs),
      }),
    findCreated: () => findByKey(api, inputs),
    retry: connection.retry,
  });
}

/** What Chatwoot must hold for the fields updated in place, in its names. */
function wantedAttributes(inputs: CustomAttributeDefinitionInputs): CustomAttributeDefinitionAttributes {
  return {
    ...(inputs.displayName === undefined ? {} : { attribute_display_name: inputs.displayName }),
    attribute_display_type: inputs.displayType ?? "text",
    attribute_description: inputs.description ?? null,
    attribute_values: inputs.listValues ?? [],
    regex_pattern: inputs.regexPattern === undefined ? null : `/${inputs.regexPattern}/`,
    regex_cue: inputs.regexCue ?? null,
  };
}

/**
 * Brings a live definition to the inputs with at most one PATCH of the fields that differ, and
 * answers the definition as it is afterwards. Key and model are never sent: a change of either
 * replaces the resource.
 */
async function reconcile(
  api: CustomAttributeDefinitionsApi,
  live: CustomAttributeDefinitionJson,
  inputs: CustomAttributeDefinitionInputs,
): Promise<CustomAttributeDefinitionJson> {
  const wanted = wantedAttributes(inputs);
  const held = live as unknown as Record<string, unknown>;
  const patch: CustomAttributeDefinitionAttributes = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (!sameValue(held[key], value)) Object.assign(patch, { [key]: value });
  }
  if (Object.keys(patch).length === 0) return live;
  return api.update(live.id, patch);
}

/** null, "" and absent alike; arrays by value. */
function sameValue(held: unknown, wanted: unknown): boolean {
  const empty = (value: unknown) => value === undefined || value === null || value === "";
  if (empty(held) && empty(wanted)) return true;
  return deepEqual(held ?? [], wanted);
}

/** `/source/` as the dashboard writes it → `source`; anything else is shown as stored. */
function patternSource(stored: string): string {
  const match = /^\/([\s\S]*)\/$/.exec(stored);
  return match ? (match[1] ?? "") : stored;
}

function outputsOf(
  live: CustomAttributeDefinitionJson,
  accountId: number,
  adopt: boolean | undefined,
  adopted: boolean,
): CustomAttributeDefinitionOutputs {
  const outputs: CustomAttributeDefinitionOutputs = {
    definitionId: live.id,
    accountId,
    attributeModel: (live.attribute_model ?? "").replace(/_attribute$/, ""),
    attributeKey: live.attribute_key ?? "",
    displayName: live.attribute_display_name ?? "",
    displayType: live.attribute_display_type ?? "text",
    listValues: (live.attribute_values ?? []).map((value) =>
      typeof value === "string" ? value : JSON.stringify(value),
    ),
    adopted,
  };
  if (live.attribute_description) outputs.description = live.attribute_description;
  if (live.regex_pattern) outputs.regexPattern = patternSource(live.regex_pattern);
  if (live.regex_cue) outputs.regexCue = live.regex_cue;
  if (adopt !== undefined) outputs.adopt = adopt;
  return outputs;
}

/** The inputs a live definition implies, so that a refresh makes later diffs compare against reality. */
function impliedInputs(outputs: CustomAttributeDefinitionOutputs): Record<string, unknown> {
  const { definitionId: _id, adopted: _adopted, ...inputs } = outputs;
  return { ...inputs };
}
