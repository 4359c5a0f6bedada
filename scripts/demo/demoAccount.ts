import type { BareAccount, RunningEmulator } from "../../emulator";

/**
 * The people the demo data names (examples/demo-dataset/dataset.yaml): the agent by email, the
 * team by name. Chatwoot's API cannot declare them, so an account has them before it is seeded.
 */
export const DEMO_AGENT_EMAIL = "frontline@lumen.example";
export const DEMO_TEAM_NAME = "Support";

/**
 * An emulator account as a freshly set-up Chatwoot account for the shop looks: its administrator,
 * the agent and the team, and nothing else (no inbox, contact, label or attribute definition).
 * The administrator is the emulator's own (the same token), as a Chatwoot user can belong to
 * several accounts.
 */
export function openDemoAccount(emulator: RunningEmulator): BareAccount {
  return emulator.createBareAccount({
    name: "Lumen & Co. (demo)",
    adminToken: emulator.adminToken,
    agentName: "Sam Frontline",
    agentEmail: DEMO_AGENT_EMAIL,
    teamName: DEMO_TEAM_NAME,
  });
}
