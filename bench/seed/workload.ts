/**
 * The benchmark's data: N contacts (name, email, a custom attribute, one label, a first contact
 * inbox) each with one conversation (3 messages, a status, a priority, one label). The raw client
 * and the provider make exactly this, so their request counts and times compare like for like.
 */
export interface PairSpec {
  readonly contact: {
    readonly name: string;
    readonly email: string;
    readonly customAttributes: Record<string, string>;
    readonly labels: string[];
  };
  readonly conversation: {
    readonly status: "resolved";
    readonly priority: "high";
    readonly labels: string[];
    readonly messages: ReadonlyArray<{
      readonly content: string;
      readonly messageType: "incoming" | "outgoing";
      readonly private?: boolean;
    }>;
  };
}

export function pairSpec(index: number): PairSpec {
  const id = String(index).padStart(5, "0");
  return {
    contact: {
      name: `Bench Contact ${id}`,
      email: `bench-${id}@example.com`,
      customAttributes: { plan: index % 2 === 0 ? "pro" : "basic" },
      labels: ["customer"],
    },
    conversation: {
      // Resolved after an incoming message: the status must be set last, as a real seed must.
      status: "resolved",
      priority: "high",
      labels: ["billing"],
      messages: [
        { content: `Order ${id} arrived damaged.`, messageType: "incoming" },
        { content: "Sorry about that! A replacement is on its way.", messageType: "outgoing" },
        { content: `Replacement R-${id} sent.`, messageType: "outgoing", private: true },
      ],
    },
  };
}

/** Runs `work` for 0..count-1 with at most `concurrency` in flight, in index order. */
export async function forEachConcurrently(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
