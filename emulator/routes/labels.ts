import { accessAccount, requireAdmin } from "../auth";
import type { RequestContext } from "../context";
import {
  checkColumnLength,
  STRING_COLUMN_LIMIT,
  TEXT_COLUMN_LIMIT,
  ValidationErrors,
} from "../domain/validation";
import { internalServerError, notFound, parameterMissing, recordInvalid } from "../errors";
import { emptyReply, jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import {
  castBoolean,
  castString,
  permittedScalar,
  rubyDowncase,
  toRecordId,
  type JsonObject,
} from "../http/rubyish";
import type { Account, Label } from "../store/types";
import { requireHash, wrappedParams } from "./support";

const P = "/api/v1/accounts/:account_id/labels";
const LABEL_ATTRIBUTES = [
  "id",
  "title",
  "description",
  "color",
  "show_on_sidebar",
  "account_id",
  "created_at",
  "updated_at",
];
/** `\A[\p{L}\p{N}]+[\p{L}\p{N}_-]+\Z` — Ruby's `\Z` also accepts one trailing newline. */
const TITLE_FORMAT = /^[\p{L}\p{N}]+[\p{L}\p{N}_-]+\n?$/u;

function labelView(label: Label): Record<string, unknown> {
  return {
    id: label.id,
    title: label.title,
    description: label.description,
    color: label.color,
    show_on_sidebar: label.showOnSidebar,
  };
}

function sortedLabels(account: Account): Label[] {
  return [...account.labels.values()].sort((a, b) => {
    const left = a.title ?? "";
    const right = b.title ?? "";
    return left < right ? -1 : left > right ? 1 : a.id - b.id;
  });
}

/** `params.require(:label).permit(...)`, with JSON parameter wrapping of bare keys. */
function labelParams(ctx: RequestContext): JsonObject {
  const label = requireHash(wrappedParams(ctx, "label", LABEL_ATTRIBUTES));
  if (!label) throw parameterMissing("label");
  return label;
}

function findLabel(account: Account, rawId: unknown): Label {
  const id = toRecordId(rawId);
  const label = id === null ? undefined : account.labels.get(id);
  if (!label) throw notFound();
  return label;
}

/** Assigns the permitted attributes and validates like `Label` (title lower-cased first). */
function assignAndValidate(account: Account, label: Label, params: JsonObject): void {
  const title = permittedScalar(params.title);
  if (title !== undefined) label.title = castString(title);
  const description = permittedScalar(params.description);
  if (description !== undefined) label.description = castString(description);
  const color = permittedScalar(params.color);
  if (color !== undefined) label.color = castString(color) as string;
  const showOnSidebar = permittedScalar(params.show_on_sidebar);
  if (showOnSidebar !== undefined) label.showOnSidebar = castBoolean(showOnSidebar);

  const errors = new ValidationErrors();
  checkColumnLength(errors, "title", label.title, STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "description", label.description, TEXT_COLUMN_LIMIT);
  checkColumnLength(errors, "color", label.color, STRING_COLUMN_LIMIT);
  if (label.title !== null && label.title !== "") label.title = rubyDowncase(label.title);
  if (label.title === null || label.title.trim() === "") errors.add("title", "must not be blank");
  if (label.title === null || !TITLE_FORMAT.test(label.title)) errors.add("title", "is invalid");
  const taken = [...account.labels.values()].some(
    (other) => other.id !== label.id && other.title === label.title,
  );
  if (taken) errors.add("title", "has already been taken");
  if (!errors.empty) throw recordInvalid(errors);
  if (label.color === null) throw internalServerError(); // NOT NULL column
}

function index(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "labels#index");
  return jsonReply(200, { payload: sortedLabels(access.account).map(labelView) });
}

/** Lookup (404) comes before the administrator check (401) for show, update and destroy. */
function show(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "labels#show");
  const label = findLabel(access.account, ctx.pathParams.id);
  requireAdmin(access);
  return jsonReply(200, labelView(label));
}

function create(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "labels#create");
  requireAdmin(access);
  const params = labelParams(ctx);
  const now = Date.now();
  const label: Label = {
    id: 0,
    accountId: access.account.id,
    title: null,
    description: null,
    color: "#1f93ff",
    showOnSidebar: null,
    createdAtMs: now,
    updatedAtMs: now,
  };
  assignAndValidate(access.account, label, params);
  label.id = ctx.state.store.nextId("labels");
  access.account.labels.set(label.id, label);
  return jsonReply(200, labelView(label));
}

/**
 * A renamed label is renamed on every tagged conversation and contact, after the answer: `Label`'s
 * `after_update_commit :update_associated_models` queues `Labels::UpdateJob` when the title changed
 * (app/models/label.rb, app/services/labels/update_service.rb; the same in every 4.x release).
 */
function update(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "labels#update");
  const label = findLabel(access.account, ctx.pathParams.id);
  requireAdmin(access);
  const params = labelParams(ctx);
  const before = { ...label };
  try {
    assignAndValidate(access.account, label, params);
  } catch (error) {
    Object.assign(label, before);
    throw error;
  }
  label.updatedAtMs = Date.now();
  const account = access.account;
  const { title: oldTitle } = before;
  const newTitle = label.title;
  if (oldTitle !== newTitle && oldTitle !== null)
    ctx.deferred.push(() => renameTag(account, oldTitle, newTitle));
  return jsonReply(200, labelView(label));
}

function retag(tags: string[], oldTitle: string, newTitle: string | null): string[] {
  const lowered = oldTitle.toLowerCase();
  if (!tags.some((tag) => tag.toLowerCase() === lowered)) return tags;
  const kept = tags.filter((tag) => tag.toLowerCase() !== lowered);
  if (newTitle !== null && !kept.some((tag) => tag.toLowerCase() === newTitle.toLowerCase()))
    kept.push(newTitle);
  return kept;
}

function renameTag(account: Account, oldTitle: string, newTitle: string | null): void {
  for (const conversation of account.conversations.values())
    conversation.labels = retag(conversation.labels, oldTitle, newTitle);
  for (const contact of account.contacts.values()) contact.labels = retag(contact.labels, oldTitle, newTitle);
}

/**
 * Deleting a label strips the tag from conversations and contacts after the answer from 4.14.0
 * (`Labels::RemoveAssociationsJob`); before, they keep it (see `labelDeleteRemovesTaggings`).
 */
function destroy(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "labels#destroy");
  const label = findLabel(access.account, ctx.pathParams.id);
  requireAdmin(access);
  access.account.labels.delete(label.id);
  const account = access.account;
  const title = label.title;
  if (title !== null && ctx.state.store.release.labelDeleteRemovesTaggings)
    ctx.deferred.push(() => renameTag(account, title, null));
  return emptyReply();
}

export function registerLabelRoutes(router: Router): void {
  router
    .add("GET", P, index)
    .add("POST", P, create)
    .add("GET", `${P}/:id`, show)
    .add("PATCH", `${P}/:id`, update)
    .add("PUT", `${P}/:id`, update)
    .add("DELETE", `${P}/:id`, destroy);
}
