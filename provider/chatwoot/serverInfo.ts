import { z } from "zod";
import type { ChatwootClient } from "../client/client";

/** Chatwoot's `GET /api` answer (chatwoot app/controllers/api_controller.rb, `index`). */
const serverInfoSchema = z.object({ version: z.string() });

/** A Chatwoot release as numbers, so that `4.10.0` sorts after `4.9.0`. */
export type ReleaseNumber = readonly [major: number, minor: number, patch: number];

/** `4.9.0` (or `4.9.0-ce`, `v4.9.0`) as numbers; undefined for text that names no release. */
export function parseRelease(text: string): ReleaseNumber | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function releaseBefore(release: ReleaseNumber, other: ReleaseNumber): boolean {
  for (let index = 0; index < 3; index += 1) {
    if (release[index] !== other[index]) return release[index]! < other[index]!;
  }
  return false;
}

/**
 * What `GET /api` reports, asked once per server and host process: the release (`version`, from
 * Chatwoot's config/app.yml) decides what the provider can ask of it. The route needs no token.
 * When the answer names no release (a proxy in the way, a fork), the provider does not guess: it
 * sends what the program declared and reports Chatwoot's own refusal.
 */
const releases = new Map<string, Promise<ReleaseNumber | undefined>>();

export function serverRelease(client: ChatwootClient, baseUrl: string): Promise<ReleaseNumber | undefined> {
  let release = releases.get(baseUrl);
  if (release === undefined) {
    release = client
      .request({ method: "GET", path: "/api", schema: serverInfoSchema })
      .then((info) => parseRelease(info.version))
      .catch(() => {
        // Not remembered: the next operation asks again.
        releases.delete(baseUrl);
        return undefined;
      });
    releases.set(baseUrl, release);
  }
  return release;
}
