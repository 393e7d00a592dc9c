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
  editor: {
    user: {
      updateUserPreferences(preferences: { name?: string; colorScheme?: 'light' | 'dark' | 'system' }): void
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
  }
}

declare global {
  interface Window {
    __drawbridge?: DrawbridgeTestHook
  }
}
