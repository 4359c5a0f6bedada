import { releaseProfile, type ReleaseBehaviour } from "../../emulator/releases";
import { lifecycleRelease } from "./stack";

/**
 * Lifecycle tests that exercise something an older Chatwoot release cannot do. When the tier runs
 * against such a release (`CHATWOOT_EMULATOR_VERSION`), they are skipped, saying why; what the
 * provider does there instead is tested in test/lifecycle/releases.test.ts.
 */
const NEEDS: ReadonlyArray<{ title: RegExp; flag: ReleaseBehaviour; why: string }> = [
  {
    title:
      /replaces the conversation|replacing makes the new conversation|deleted in Chatwoot on refresh|destroy deletes the conversation|deleting needs an administrator|rendered message deleted in Chatwoot as drift|commit_late, [34] requests later\) makes exactly one conversation|deletes the conversation before the contact|lands after both looks|a rotated token is recorded without a request/,
    flag: "conversationDeleteRoute",
    why: "it deletes conversations, and this release has no DELETE /conversations/:id route",
  },
  {
    title: /updates blocked in place/,
    flag: "contactJsonHasBlocked",
    why: "it reads blocked back, and this release leaves blocked out of the contact JSON",
  },
  {
    title: /an agent bot that shares the declared user's id/,
    flag: "agentBotAssignment",
    why: "it assigns an agent bot, which this release cannot do",
  },
  {
    title: /Chatwoot adds email fields to/,
    flag: "messageKeepsContentAttributes",
    why: "it seeds a message with its own content attributes, which this release drops (the provider refuses it)",
  },
];

/** A mocha root hook, loaded with `--require` by the tier's run on an older release. */
export const mochaHooks = {
  beforeEach(this: Mocha.Context): void {
    const test = this.currentTest;
    const version = lifecycleRelease();
    if (test === undefined || version === undefined || !(test.file ?? "").includes("lifecycle")) return;
    const release = releaseProfile(version);
    const title = test.fullTitle();
    const need = NEEDS.find((entry) => entry.title.test(title) && !release[entry.flag]);
    if (need === undefined) return;
    console.warn(`      skipped on Chatwoot ${release.version}: ${need.why}`);
    this.skip();
  },
};
