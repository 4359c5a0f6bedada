import { authenticate } from "../auth";
import type { RequestContext } from "../context";
import {
  checkColumnLength,
  STRING_COLUMN_LIMIT,
  TEXT_COLUMN_LIMIT,
  ValidationErrors,
} from "../domain/validation";
import { parameterMissing, recordInvalid, unprocessable } from "../errors";
import { jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { castString, isBlank, isPlainObject, permittedScalar } from "../http/rubyish";
import type { User } from "../store/types";
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
  const profile = requireHash(wrappedParams(ctx, "profile", null));
  if (!profile) throw parameterMissing("profile");
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

export function registerProfileRoutes(router: Router): void {
  router
    .add("GET", "/api/v1/profile", show)
    .add("PUT", "/api/v1/profile", update)
    .add("PATCH", "/api/v1/profile", update);
}
