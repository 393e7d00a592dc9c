/**
 * The shape of the client's `window.__drawbridge` test hook as the browser tests use it: just the
 * editor calls they make, so the tests do not depend on tldraw's types.
 */
export interface HookShape {
  id: string
  type: string
  x: number
  y: number
  props: Record<string, unknown>
}

export interface DrawbridgeTestHook {
  /** Board records not in the editor yet (a large board loads after its first frame). */
  waiting(): number
  connection: {
    provider: { synced: boolean }
    getSnapshot(): { status: 'connecting' | 'connected' | 'offline' }
    /** The room's Y.Doc, for tests that write to it as an older client would (bypassing the binding). */
    doc: {
      transact(fn: () => void): void
      getArray(name: string): { push(items: unknown[]): void; toArray(): unknown[] }
    }
  }
  editor: {
    user: {
      updateUserPreferences(preferences: { name?: string; colorScheme?: 'light' | 'dark' | 'system' }): void
      getName?(): string
    }
    getCurrentPageShapes(): HookShape[]
    getInstanceState(): { isReadonly: boolean }
    updateInstanceState(partial: { isReadonly?: boolean }): void
    createShape(shape: { type: string; x: number; y: number; props?: Record<string, unknown> }): void
    getAssets(): Array<{ id: string; type: string; props: Record<string, unknown> }>
    getSvgString(ids: string[]): Promise<{ svg: string } | undefined>
    toImage(ids: string[], options: { format: 'png'; background?: boolean }): Promise<{ blob: Blob }>
    /** Optional so older stubs still type-check; tldraw's editor has it. */
    setCamera?(point: { x: number; y: number; z: number }): void
    getCamera?(): { x: number; y: number; z: number }
    getViewportPageBounds?(): { x: number; y: number; w: number; h: number }
    getShapePageBounds?(id: string): { x: number; y: number; w: number; h: number } | undefined
    /** tldraw's people list: the peers shown as present. */
    getVisibleCollaborators(): Array<{ userName: string }>
  }
}

declare global {
  interface Window {
    __drawbridge?: DrawbridgeTestHook
  }
}
