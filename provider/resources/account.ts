import { defaultAccountId } from "../dynamic/context";
import type { CheckFailure } from "../validation/check";

/**
 * Fills in the stack's default account when a resource names none. Writing it into the checked
 * inputs means a change of `chatwoot:accountId` shows up as a replacement (the objects live in
 * the old account), instead of resources silently pointing at another account.
 */
export function applyDefaultAccount(inputs: { accountId?: number }): CheckFailure[] {
  if (inputs.accountId !== undefined) return [];
  let fallback: number | undefined;
  try {
    fallback = defaultAccountId();
  } catch (error) {
    return [{ property: "accountId", reason: `[accountId] is not set, and ${(error as Error).message}` }];
  }
  if (fallback !== undefined) {
    inputs.accountId = fallback;
    return [];
  }
  return [
    {
      property: "accountId",
      reason:
        "[accountId] is not set: give the resource an accountId, or set it for the stack with " +
        "`pulumi config set chatwoot:accountId <id>` or the CHATWOOT_ACCOUNT_ID environment variable",
    },
  ];
}

/** Whether the program left an input out (the engine sends omitted inputs as absent or null). */
export function absent(value: unknown): boolean {
  return value === undefined || value === null;
}
