/**
 * The working state of one operation, merged the way the engine's snapshot manager merges it
 * (`pkg/backend/snapshot.go Snap`): the resources this operation produced, in the order their steps
 * finished, then every base resource that no step has retired ("done").
 *
 * It also keeps the pending operations a checkpoint written now would hold (`snapshot.go`
 * `markOperationPending` in `doCreate`/`doUpdate`/`doDelete`, `markOperationComplete` in each mutation's
 * `End`, the `operations` loop of `Snap`): every provider call in flight, in the order they began, then
 * the base snapshot's pending CREATE operations, which only the user may clear ("we don't want to clear
 * pending CREATE operations because these must require user intervention"); the base's other pending
 * operations are dropped.
 */
import type { OperationType, PendingOperation } from "./checkpoint";
import { cloneResource, dropDanglingReferences, type ResourceState } from "./state";

/** A provider call that has begun; `end()` completes it, whether the call succeeded or failed. */
export interface Mutation {
  end(): void;
}

export class WorkingSnapshot {
  /** The operation's own copy of the previous state; steps mutate these objects (delete flags, …). */
  private base: ResourceState[];
  private readonly news: ResourceState[] = [];
  private readonly done = new Set<ResourceState>();
  /** Operations begun and not yet ended, in the order they began (the engine's `operations`). */
  private readonly inFlight = new Set<PendingOperation>();
  /** The base snapshot's pending creates, carried into every snapshot of this operation. */
  private readonly basePendingCreates: readonly PendingOperation[];

  constructor(previous: readonly ResourceState[], previousPending: readonly PendingOperation[] = []) {
    this.base = previous.map(cloneResource);
    this.basePendingCreates = previousPending
      .filter((operation) => operation.type === "creating")
      .map(clonePendingOperation);
  }

  /**
   * `BeginMutation`: records `resource` as it is now (for a create or an update, the new state before the
   * provider call: no id, no outputs; for a delete, the old state) as pending until `end()`.
   */
  beginMutation(
    resource: ResourceState,
    type: Extract<OperationType, "creating" | "updating" | "deleting">,
  ): Mutation {
    const operation: PendingOperation = { resource: cloneResource(resource), type };
    this.inFlight.add(operation);
    return { end: () => this.inFlight.delete(operation) };
  }

  /** The pending operations a checkpoint written now would hold. */
  pendingOperations(): PendingOperation[] {
    return [...this.inFlight, ...this.basePendingCreates].map(clonePendingOperation);
  }

  /** Base resources not yet retired, in state order. */
  baseResources(): ResourceState[] {
    return this.base.filter((resource) => !this.done.has(resource));
  }

  /** The live (not pending-delete) base state for a URN: what the engine calls `old`. */
  old(urn: string): ResourceState | undefined {
    return this.base.find((resource) => resource.urn === urn && !resource.delete && !this.done.has(resource));
  }

  markNew(resource: ResourceState): void {
    this.news.push(resource);
  }

  markDone(resource: ResourceState): void {
    this.done.add(resource);
  }

  /** Replaces a base resource in place (a refresh's result). */
  replaceBase(previous: ResourceState, refreshed: ResourceState): void {
    this.base = this.base.map((resource) => (resource === previous ? refreshed : resource));
  }

  /** Removes a base resource (a refresh found it gone), then drops references to it from the rest. */
  removeBase(previous: ResourceState): void {
    this.base = this.base.filter((resource) => resource !== previous);
  }

  /** Call after refreshes that removed resources. */
  dropDanglingReferences(): void {
    this.base = dropDanglingReferences(this.base);
  }

  /** Every resource state known to this operation, for dependency scheduling. */
  everything(): ResourceState[] {
    return [...this.news, ...this.base];
  }

  /** The resources the state would hold now (not retired), as the live objects steps mutate. */
  live(): ResourceState[] {
    return [...this.news, ...this.base].filter((resource) => !this.done.has(resource));
  }

  snap(): ResourceState[] {
    return this.live().map(cloneResource);
  }
}

function clonePendingOperation(operation: PendingOperation): PendingOperation {
  return { resource: cloneResource(operation.resource), type: operation.type };
}
