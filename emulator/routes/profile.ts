import { authenticate } from "../auth";
import type { RequestContext } from "../context";
import {
  checkColumnLength,
  STRING_COLUMN_LIMIT,
  TEXT_COLUMN_LIMIT,
  ValidationErrors,
} from "../domain/validation";
import { internalServerError, notFound, parameterMissing, recordInvalid, unprocessable } from "../errors";
import { jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import {
  castBoolean,
  castString,
  isBlank,
  isPlainObject,
  permittedScalar,
  toRecordId,
  type JsonObject,
} from "../http/rubyish";
import type { AccountUser, User } from "../store/types";
import { profileView } from "../views/users";
import { requireHash, wrappedParams } from "./support";

function currentUser(ctx: RequestContext, action: string): User {
  const principal = authenticate(ctx, action);
  // Bots never get here: `profiles#*` is not on the bot allow-list.
  if (principal.kind !== "user") throw new Error("unexpected bot principal");
  return principal.user;
}

function render(ctx: RequestContext, user: User): Reply {
  return jsonReply(200, profileView(user, [...ctx.state.store.accounts.values()]));
}

/** `GET /api/v1/profile`: any valid user token; not account-scoped. */
function show(ctx: RequestContext): Reply {
  return render(ctx, currentUser(ctx, "profiles#show"));
}

/**
 * `PUT/PATCH /api/v1/profile`: `{"profile": {...}}` or bare keys (all keys are wrapped, the
 * controller has no model). Password changes always fail: emulated users have no password.
 */
function update(ctx: RequestContext): Reply {
  const user = currentUser(ctx, "profiles#update");
  const profile = profileParams(ctx);
  if (!isBlank(profile.password)) throw unprocessable("Invalid current password");
  const next = { ...user };
  for (const [param, field] of [
    ["name", "name"],
    ["display_name", "displayName"],
    ["email", "email"],
    ["message_signature", "messageSignature"],
  ] as const) {
    const value = permittedScalar(profile[param]);
    if (value !== undefined) (next as Record<string, unknown>)[field] = castString(value);
  }
  if (isPlainObject(profile.ui_settings)) next.uiSettings = profile.ui_settings;
  const phone = permittedScalar(profile.phone_number);
  if (phone !== undefined) next.customAttributes = { ...user.customAttributes, phone_number: phone };

  const errors = new ValidationErrors();
  checkColumnLength(errors, "name", next.name, STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "display_name", next.displayName, STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "email", next.email, STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "message_signature", next.messageSignature, TEXT_COLUMN_LIMIT);
  if (isBlank(next.name)) errors.add("name", "can't be blank");
  if (isBlank(next.email)) errors.add("email", "can't be blank");
  const emailTaken = [...ctx.state.store.users.values()].some(
    (other) => other.id !== user.id && other.email.toLowerCase() === (next.email ?? "").toLowerCase(),
  );
  if (emailTaken) errors.add("email", "has already been taken");
  if (!errors.empty) throw recordInvalid(errors);
  Object.assign(user, next);
  return render(ctx, user);
}

/** The caller's membership of `profile.account_id` (`account_users.find_by!`, 404 when absent). */
function membershipFor(ctx: RequestContext, user: User, profile: JsonObject): AccountUser {
  const accountId = toRecordId(profile.account_id);
  const membership =
    accountId === null ? undefined : ctx.state.store.accounts.get(accountId)?.members.get(user.id);
  if (!membership) throw notFound();
  return membership;
}

function profileParams(ctx: RequestContext): JsonObject {
  const profile = requireHash(wrappedParams(ctx, "profile", null));
  if (!profile) throw parameterMissing("profile");
  return profile;
}

/** `POST /api/v1/profile/auto_offline`: with it off, an `online` agent counts as online for assignment. */
function autoOffline(ctx: RequestContext): Reply {
  const user = currentUser(ctx, "profiles#auto_offline");
  const profile = profileParams(ctx);
  const membership = membershipFor(ctx, user, profile);
  membership.autoOffline = castBoolean(permittedScalar(profile.auto_offline) ?? null) ?? false;
  return render(ctx, user);
}

/** `POST /api/v1/profile/availability`: `online`, `offline` or `busy` (anything else raises: 500). */
function availability(ctx: RequestContext): Reply {
  const user = currentUser(ctx, "profiles#availability");
  const profile = profileParams(ctx);
  const membership = membershipFor(ctx, user, profile);
  const value = profile.availability;
  if (value !== "online" && value !== "offline" && value !== "busy") throw internalServerError();
  membership.availability = value;
  return render(ctx, user);
}

/**
 * `POST /api/v1/profile/reset_access_token` (chatwoot app/controllers/api/v1/profiles_controller.rb
 * `reset_access_token`, since v4.3.0): a new token, answered in the profile; the old one is revoked.
 */
function resetAccessToken(ctx: RequestContext): Reply {
  const user = currentUser(ctx, "profiles#reset_access_token");
  ctx.state.store.regenerateAccessToken(user);
  return render(ctx, user);
}

export function registerProfileRoutes(router: Router): void {
  router
    .add("POST", "/api/v1/profile/reset_access_token", resetAccessToken)
    .add("POST", "/api/v1/profile/auto_offline", autoOffline)
    .add("POST", "/api/v1/profile/availability", availability);
  router
    .add("GET", "/api/v1/profile", show)
    .add("PUT", "/api/v1/profile", update)
    .add("PATCH", "/api/v1/profile", update);
}
