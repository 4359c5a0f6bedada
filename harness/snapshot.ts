/**
 * The working state of one operation, merged the way the engine's snapshot manager merges it
 * (`pkg/backend/snapshot.go Snap`): the resources this operation produced, in the order their steps
 * finished, then every base resource that no step has retired ("done").
 */
import { cloneResource, dropDanglingReferences, type ResourceState } from "./state";

export class WorkingSnapshot {
  /** The operation's own copy of the previous state; steps mutate these objects (delete flags, …). */
  private base: ResourceState[];
  private readonly news: ResourceState[] = [];
  private readonly done = new Set<ResourceState>();

  constructor(previous: readonly ResourceState[]) {
    this.base = previous.map(cloneResource);
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
