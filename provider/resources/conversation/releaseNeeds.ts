import { ReleaseNumber, releaseBefore, serverRelease } from "../../chatwoot/serverInfo";
import type { Connection } from "../../dynamic/context";
import { ProviderError } from "../errors";
import type { SeedMessage } from "./spec";

/** Content attribute keys every 4.x release keeps (`@items`, `@in_reply_to` in the message builder). */
const KEPT_BY_EVERY_RELEASE: ReadonlySet<string> = new Set(["items", "in_reply_to"]);

interface ReleaseNeed {
  readonly since: ReleaseNumber;
  readonly field: string;
  readonly why: string;
}

/** What a seeded message asks of the server's release, if anything. */
function needsOf(message: SeedMessage, index: number): ReleaseNeed[] {
  const needs: ReleaseNeed[] = [];
  if (message.contentType === "voice_call") {
    needs.push({
      since: [4, 6, 0],
      field: `messages.${index}.contentType`,
      why:
        "the voice_call content type joined Message's content_type enum in Chatwoot 4.6.0 " +
        "(chatwoot app/models/message.rb)",
    });
  }
  const dropped = Object.keys(message.contentAttributes ?? {}).filter(
    (key) => !KEPT_BY_EVERY_RELEASE.has(key),
  );
  if (dropped.length > 0) {
    needs.push({
      since: [4, 9, 0],
      field: `messages.${index}.contentAttributes`,
      why:
        `before Chatwoot 4.9.0 a new message keeps only items and in_reply_to of its content attributes ` +
        `(chatwoot app/builders/messages/message_builder.rb), so ${dropped.join(", ")} would be dropped and ` +
        "every later `pulumi up` would see the transcript changed",
    });
  }
  return needs;
}

/**
 * Refuses, before anything is written, messages the server's release would refuse or silently
 * change. The release is asked (`GET /api`) only when a message to post needs one; a server that
 * does not say its release gets the messages as declared.
 */
export async function refuseWhatTheReleaseCannotHold(
  connection: Connection,
  messages: readonly SeedMessage[],
  indexes: readonly number[],
): Promise<void> {
  const needs = indexes.flatMap((index) => needsOf(messages[index]!, index));
  if (needs.length === 0) return;
  const release = await serverRelease(connection.client, connection.settings.url.href);
  if (release === undefined) return;
  const unmet = needs.filter((need) => releaseBefore(release, need.since));
  if (unmet.length === 0) return;
  throw new ProviderError(
    unmet
      .map(
        (need) =>
          `[${need.field}] needs Chatwoot ${need.since.join(".")} or later, and this server is ${release.join(".")}: ${need.why}`,
      )
      .join("; ") + ". Nothing was written; upgrade Chatwoot or leave the field out.",
  );
}
