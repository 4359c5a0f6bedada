import type { Account, Conversation, Inbox } from "../store/types";

/**
 * Chatwoot's legacy auto-assignment: round robin over the inbox members who are online. With no
 * dashboard connections in the emulator, "online" means what `OnlineStatusTracker` falls back to:
 * an agent whose `auto_offline` is off and whose availability is `online`.
 */

export function isOnline(account: Account, userId: number): boolean {
  const membership = account.members.get(userId);
  return membership !== undefined && !membership.autoOffline && membership.availability === "online";
}

/**
 * `InboxRoundRobinService`: the queue holds every member (newest at the head); the assignee is the
 * allowed agent nearest the tail, who then moves to the head.
 */
function pickFromQueue(inbox: Inbox, allowed: number[]): number | null {
  const members = [...inbox.memberIds].sort((a, b) => a - b);
  const queued = [...inbox.roundRobinQueue].sort((a, b) => a - b);
  if (members.length !== queued.length || members.some((id, index) => id !== queued[index])) {
    inbox.roundRobinQueue = [...members].reverse();
  }
  for (let index = inbox.roundRobinQueue.length - 1; index >= 0; index -= 1) {
    const userId = inbox.roundRobinQueue[index];
    if (userId !== undefined && allowed.includes(userId)) {
      inbox.roundRobinQueue.splice(index, 1);
      inbox.roundRobinQueue.unshift(userId);
      return userId;
    }
  }
  return null;
}

/** `AutoAssignment::AgentAssignmentService#find_assignee` over the given candidate ids. */
export function findOnlineAssignee(account: Account, inbox: Inbox, candidateIds: number[]): number | null {
  const online = candidateIds.filter((userId) => isOnline(account, userId));
  return online.length === 0 ? null : pickFromQueue(inbox, online);
}

/** Candidates of `run_auto_assignment`: the team's members in the inbox when a team is set. */
export function autoAssignmentCandidates(account: Account, conversation: Conversation): number[] {
  const members = [...conversation.inbox.memberIds];
  if (conversation.teamId === null) return members;
  const team = account.teams.get(conversation.teamId);
  if (!team || !team.allowAutoAssign) return [];
  return members.filter((userId) => team.memberIds.has(userId));
}

/** `should_run_auto_assignment?` for a conversation that just became (or was created) open. */
export function needsAutoAssignment(conversation: Conversation): boolean {
  if (conversation.status !== "open" || !conversation.inbox.enableAutoAssignment) return false;
  return conversation.assigneeId === null || !conversation.inbox.memberIds.has(conversation.assigneeId);
}
