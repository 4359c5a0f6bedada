import { accessAccount, requireAdmin, type AccountAccess } from "../auth";
import type { RequestContext } from "../context";
import {
  attributeModels,
  castEnum,
  DISPLAY_TYPES,
  validateDefinition,
} from "../domain/customAttributeDefinitions";
import { notFound, parameterMissing, recordInvalid } from "../errors";
import { jsonReply, noContentReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { castString, isBlank, permittedScalar, toRecordId, type JsonObject } from "../http/rubyish";
import type { ReleaseProfile } from "../releases";
import type { Account, CustomAttributeDefinition } from "../store/types";
import { customAttributeDefinitionView } from "../views/customAttributeDefinitions";
import { requireHash, wrappedParams } from "./support";

/**
 * `Api::V1::Accounts::CustomAttributeDefinitionsController` (chatwoot
 * app/controllers/api/v1/accounts/custom_attribute_definitions_controller.rb, `resources
 * :custom_attribute_definitions, only: [:index, :show, :create, :update, :destroy]` in config/routes.rb).
 * Not a bot endpoint (`AccessTokenAuthHelper::BOT_ACCESSIBLE_ENDPOINTS`). Until 4.14.0 the controller
 * authorises nothing; from 4.14.0 `CustomAttributeDefinitionPolicy` lets only administrators write.
 */

const P = "/api/v1/accounts/:account_id/custom_attribute_definitions";

/** `CustomAttributeDefinition.attribute_names`: the keys Rails' JSON parameter wrapping copies. */
const MODEL_ATTRIBUTES = [
  "id",
  "attribute_display_name",
  "attribute_key",
  "attribute_display_type",
  "default_value",
  "attribute_model",
  "account_id",
  "created_at",
  "updated_at",
  "attribute_description",
  "attribute_values",
  "regex_pattern",
  "regex_cue",
];

/** `params.require(:custom_attribute_definition)`, with JSON parameter wrapping of bare keys. */
function definitionParams(ctx: RequestContext): JsonObject {
  const params = requireHash(wrappedParams(ctx, "custom_attribute_definition", MODEL_ATTRIBUTES));
  if (!params) throw parameterMissing("custom_attribute_definition");
  return params;
}

function findDefinition(account: Account, rawId: unknown): CustomAttributeDefinition {
  const id = toRecordId(rawId);
  const definition = id === null ? undefined : account.customAttributeDefinitions.get(id);
  if (!definition) throw notFound();
  return definition;
}

/** `check_authorization` for create, update and destroy (`CustomAttributeDefinitionPolicy`, 4.14.0). */
function authorizeWrite(access: AccountAccess, release: ReleaseProfile): void {
  if (release.customAttributeWritesAdminOnly) requireAdmin(access);
}

/** `attribute_values: []` permits an array of scalars only; anything else is dropped. */
function permittedScalarArray(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.every((item) => permittedScalar(item) !== undefined) ? [...value] : undefined;
}

/** `assign_attributes(permitted_payload)`: each permitted key that was sent, cast to its column. */
function assign(definition: CustomAttributeDefinition, params: JsonObject, release: ReleaseProfile): void {
  const text = (name: string): string | null | undefined => {
    const value = permittedScalar(params[name]);
    return value === undefined ? undefined : castString(value);
  };
  const displayName = text("attribute_display_name");
  if (displayName !== undefined) definition.attributeDisplayName = displayName;
  const description = text("attribute_description");
  if (description !== undefined) definition.attributeDescription = description;
  const key = text("attribute_key");
  if (key !== undefined) definition.attributeKey = key;
  const regexPattern = text("regex_pattern");
  if (regexPattern !== undefined) definition.regexPattern = regexPattern;
  const regexCue = text("regex_cue");
  if (regexCue !== undefined) definition.regexCue = regexCue;
  const displayType = permittedScalar(params.attribute_display_type);
  if (displayType !== undefined) definition.attributeDisplayType = castEnum(displayType, DISPLAY_TYPES);
  const model = permittedScalar(params.attribute_model);
  if (model !== undefined) definition.attributeModel = castEnum(model, attributeModels(release));
  const values = permittedScalarArray(params.attribute_values);
  if (values !== undefined) definition.attributeValues = values;
}

/**
 * `with_attribute_model(params[:attribute_model])`: blank lists every definition; otherwise
 * `where(attribute_model: value)` matches an enum name, or a numeric string as the enum's integer
 * (`"1"` is contact attributes, as swagger.json documents); any other text matches nothing.
 */
function modelFilter(
  raw: unknown,
  release: ReleaseProfile,
): (definition: CustomAttributeDefinition) => boolean {
  const value = permittedScalar(raw);
  if (value === undefined || isBlank(value)) return () => true;
  const models = attributeModels(release);
  const text = String(value);
  let wanted: string | undefined;
  if ((models as readonly string[]).includes(text)) wanted = text;
  else if (/^\s*[+-]?\d/.test(text)) wanted = models[Number.parseInt(text, 10)];
  return (definition) => wanted !== undefined && definition.attributeModel === wanted;
}

function index(ctx: RequestContext): Reply {
  const release = ctx.state.store.release;
  const access = accessAccount(ctx, "custom_attribute_definitions#index");
  const matches = modelFilter(ctx.params.attribute_model, release);
  // No ORDER BY in Chatwoot: Postgres answers in insertion order, i.e. by id, for a table never updated in place.
  const definitions = [...access.account.customAttributeDefinitions.values()]
    .filter(matches)
    .sort((a, b) => a.id - b.id);
  return jsonReply(200, definitions.map(customAttributeDefinitionView));
}

function show(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "custom_attribute_definitions#show");
  return jsonReply(200, customAttributeDefinitionView(findDefinition(access.account, ctx.pathParams.id)));
}

function create(ctx: RequestContext): Reply {
  const release = ctx.state.store.release;
  const access = accessAccount(ctx, "custom_attribute_definitions#create");
  authorizeWrite(access, release);
  const params = definitionParams(ctx);
  const now = Date.now();
  // The table's defaults: conversation attribute, text, no values.
  const definition: CustomAttributeDefinition = {
    id: 0,
    accountId: access.account.id,
    attributeDisplayName: null,
    attributeKey: null,
    attributeDisplayType: "text",
    attributeModel: "conversation_attribute",
    attributeDescription: null,
    attributeValues: [],
    regexPattern: null,
    regexCue: null,
    createdAtMs: now,
    updatedAtMs: now,
  };
  assign(definition, params, release);
  const errors = validateDefinition(access.account, definition, release, true);
  if (!errors.empty) throw recordInvalid(errors);
  definition.id = ctx.state.store.nextId("custom_attribute_definitions");
  access.account.customAttributeDefinitions.set(definition.id, definition);
  return jsonReply(200, customAttributeDefinitionView(definition));
}

/**
 * `update!(permitted_payload)`: every permitted attribute, key and model included, changes in place
 * (the key-conflict check runs on create only). Lookup (404) comes before authorisation (401).
 */
function update(ctx: RequestContext): Reply {
  const release = ctx.state.store.release;
  const access = accessAccount(ctx, "custom_attribute_definitions#update");
  const definition = findDefinition(access.account, ctx.pathParams.id);
  authorizeWrite(access, release);
  const params = definitionParams(ctx);
  const candidate = { ...definition, attributeValues: [...definition.attributeValues] };
  assign(candidate, params, release);
  const errors = validateDefinition(access.account, candidate, release, false);
  if (!errors.empty) throw recordInvalid(errors);
  const changed = JSON.stringify(candidate) !== JSON.stringify(definition);
  Object.assign(definition, candidate, changed ? { updatedAtMs: Date.now() } : {});
  return jsonReply(200, customAttributeDefinitionView(definition));
}

/**
 * `destroy!` then `head :no_content`. The values stored under the key in contacts' and
 * conversations' `custom_attributes` stay (the callbacks only touch web-widget pre-chat forms and,
 * in Enterprise, the account's required conversation attributes, neither of which is emulated).
 */
function destroy(ctx: RequestContext): Reply {
  const release = ctx.state.store.release;
  const access = accessAccount(ctx, "custom_attribute_definitions#destroy");
  const definition = findDefinition(access.account, ctx.pathParams.id);
  authorizeWrite(access, release);
  access.account.customAttributeDefinitions.delete(definition.id);
  return noContentReply();
}

export function registerCustomAttributeDefinitionRoutes(router: Router): void {
  router
    .add("GET", P, index)
    .add("POST", P, create)
    .add("GET", `${P}/:id`, show)
    .add("PATCH", `${P}/:id`, update)
    .add("PUT", `${P}/:id`, update)
    .add("DELETE", `${P}/:id`, destroy);
}
