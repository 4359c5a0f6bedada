import type { Account, AccountUser, AgentBot, Team, User } from "../store/types";
import { isoTime, isoTimeOrNull } from "./time";

export function availableName(user: User): string {
  return user.displayName !== null && user.displayName.trim() !== "" ? user.displayName : user.name;
}

/**
 * `availability_status` of a user: with `auto_offline` (the default) a user without a live dashboard
 * connection is offline; the emulator has no live connections.
 */
export function availabilityStatus(membership: AccountUser | undefined): string | null {
  if (!membership) return null;
  return membership.autoOffline ? "offline" : membership.availability;
}

/** `User#push_event_data`: a user as a message sender or a messages index `meta.assignee`. */
export function userPushData(user: User, membership: AccountUser | undefined): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    available_name: availableName(user),
    avatar_url: "",
    type: "user",
    availability_status: availabilityStatus(membership),
    thumbnail: "",
  };
}

/** `_agent.json.jbuilder`: conversation `meta.assignee` and the assignment response. */
export function agentView(user: User, account: Account): Record<string, unknown> {
  const membership = account.members.get(user.id);
  const view: Record<string, unknown> = {
    id: user.id,
    account_id: account.id,
    availability_status: availabilityStatus(membership),
    auto_offline: membership?.autoOffline ?? true,
    confirmed: true,
    email: user.email,
    provider: "email",
    available_name: availableName(user),
  };
  if (Object.keys(user.customAttributes).length > 0) view.custom_attributes = user.customAttributes;
  view.name = user.name;
  view.role = membership?.role ?? null;
  view.thumbnail = "";
  view.custom_role_id = null;
  return view;
}

/** `_agent_bot_slim.json.jbuilder`. */
export function agentBotSlimView(bot: AgentBot): Record<string, unknown> {
  return {
    id: bot.id,
    name: bot.name,
    description: bot.description,
    thumbnail: "",
    outgoing_url: bot.outgoingUrl,
    bot_type: "webhook",
  };
}

export function agentBotPushData(bot: AgentBot): Record<string, unknown> {
  return { id: bot.id, name: bot.name, avatar_url: "", type: "agent_bot" };
}

/** `_team.json.jbuilder` (conversation `meta.team`); `is_member` is about the caller. */
export function teamView(team: Team, viewerUserId: number | null): Record<string, unknown> {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    allow_auto_assign: team.allowAutoAssign,
    account_id: team.accountId,
    is_member: viewerUserId !== null && team.memberIds.has(viewerUserId),
  };
}

/** `render json: @team`: the raw record with ISO times (assignment response). */
export function teamRecordView(team: Team): Record<string, unknown> {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    allow_auto_assign: team.allowAutoAssign,
    account_id: team.accountId,
    created_at: isoTime(team.createdAtMs),
    updated_at: isoTime(team.updatedAtMs),
  };
}

/** `profiles/show.json.jbuilder` (+ `_user.json.jbuilder`). */
export function profileView(user: User, accounts: Account[]): Record<string, unknown> {
  const active = accounts
    .map((account) => ({ account, membership: account.members.get(user.id) }))
    .filter(
      (entry): entry is { account: Account; membership: AccountUser } => entry.membership !== undefined,
    );
  const first = active[0];
  const view: Record<string, unknown> = {
    access_token: user.accessToken,
    account_id: first ? first.account.id : null,
    available_name: availableName(user),
    avatar_url: "",
    confirmed: true,
    display_name: user.displayName,
    message_signature: user.messageSignature,
    email: user.email,
    id: user.id,
    inviter_id: null,
    name: user.name,
    provider: "email",
    pubsub_token: user.pubsubToken,
  };
  if (Object.keys(user.customAttributes).length > 0) view.custom_attributes = user.customAttributes;
  Object.assign(view, {
    role: first ? first.membership.role : null,
    ui_settings: user.uiSettings,
    uid: user.email,
    type: null,
    accounts: active.map(({ account, membership }) => ({
      id: account.id,
      name: account.name,
      status: account.status,
      onboarding_step: null,
      active_at: isoTimeOrNull(membership.activeAtMs),
      role: membership.role,
      permissions: [membership.role],
      availability: membership.availability,
      availability_status: availabilityStatus(membership),
      auto_offline: membership.autoOffline,
      custom_role_id: null,
      custom_role: null,
    })),
  });
  return view;
}
