import type { AccountAccess } from "../auth";
import type { AgentBot, Role, User } from "../store/types";

/** `Current.user` of a request: the user or bot whose token was sent. Activity messages name it. */
export interface Actor {
  name: string;
  user: User | null;
  bot: AgentBot | null;
  role: Role | null;
}

export function actorOf(access: AccountAccess): Actor {
  if (access.user)
    return { name: access.user.name, user: access.user, bot: null, role: access.membership?.role ?? null };
  const bot = access.bot;
  return { name: bot ? bot.name : "", user: null, bot, role: null };
}
