/**
 * Presence over Yjs awareness (docs/architecture.md, "Presence"): publishes this person's name, colour, cursor,
 * page and selection (plus camera and viewport, so others can follow), and turns everyone
 * else's awareness into tldraw `instance_presence` records so cursors, names, selections, the
 * people menu and "follow" work natively. Must not touch: document records.
 */
import { type AwarenessState, type PeerKind, parseAwarenessState } from '@drawbridge/shared'
import {
  type Editor,
  InstancePresenceRecordType,
  react,
  type TLInstancePresence,
  type TLPageId,
  type TLShapeId,
} from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'

const FALLBACK_COLORS = [
  '#e03131',
  '#1971c2',
  '#2f9e44',
  '#f08c00',
  '#9c36b5',
  '#0c8599',
  '#e8590c',
  '#5f3dc4',
]
/** Awareness updates are sent at most this often while the pointer moves. */
const PUBLISH_INTERVAL_MS = 40
/**
 * A co-pilot republishes its presence while it works (its cursor may stand still while a model
 * thinks): each republication counts as activity, at most this often, so tldraw never takes a
 * working co-pilot for idle or gone.
 */
const AI_ACTIVITY_REFRESH_MS = 500

function colorFor(id: string, preferred: string): string {
  if (/^#[0-9a-fA-F]{6}$/.test(preferred)) return preferred
  let hash = 0
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return FALLBACK_COLORS[hash % FALLBACK_COLORS.length]!
}

function localState(editor: Editor, kind: PeerKind): AwarenessState {
  const id = editor.user.getId()
  const point = editor.inputs.getCurrentPagePoint()
  const camera = editor.getCamera()
  const bounds = editor.getViewportScreenBounds()
  return {
    user: { id, name: editor.user.getName().slice(0, 64), color: colorFor(id, editor.user.getColor()), kind },
    cursor: { x: point.x, y: point.y },
    pageId: editor.getCurrentPageId(),
    selection: editor.getSelectedShapeIds(),
    camera: { x: camera.x, y: camera.y, z: camera.z },
    screenBounds: { x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h },
  }
}

function toPresence(clientId: number, state: AwarenessState, lastActivity: number): TLInstancePresence {
  const userId = state.user.id.startsWith('user:') ? state.user.id : `user:${state.user.id}`
  return InstancePresenceRecordType.create({
    id: InstancePresenceRecordType.createId(String(clientId)),
    userId: userId as TLInstancePresence['userId'],
    userName: state.user.name,
    color: state.user.color,
    currentPageId: state.pageId as TLPageId,
    selectedShapeIds: state.selection as TLShapeId[],
    cursor: state.cursor ? { x: state.cursor.x, y: state.cursor.y, type: 'default', rotation: 0 } : null,
    camera: state.camera ?? null,
    screenBounds: state.screenBounds ?? null,
    lastActivityTimestamp: lastActivity,
  })
}

export function bindPresence(editor: Editor, awareness: Awareness, kind: PeerKind = 'human'): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let latest: AwarenessState | undefined
  const publish = () => {
    timer = undefined
    if (latest) awareness.setLocalState(latest)
  }
  const stopReacting = react('drawbridge presence', () => {
    latest = localState(editor, kind)
    timer ??= setTimeout(publish, PUBLISH_INTERVAL_MS)
  })

  const lastActivity = new Map<number, number>()
  const onChange = ({
    added,
    updated,
    removed,
  }: {
    added: number[]
    updated: number[]
    removed: number[]
  }) => {
    const now = Date.now()
    for (const id of [...added, ...updated]) lastActivity.set(id, now)
    for (const id of removed) lastActivity.delete(id)
    const presences: TLInstancePresence[] = []
    for (const [clientId, raw] of awareness.getStates()) {
      if (clientId === awareness.clientID) continue
      const state = parseAwarenessState(raw)
      if (state) presences.push(toPresence(clientId, state, lastActivity.get(clientId) ?? now))
    }
    const keep = new Set(presences.map((presence) => presence.id))
    const stale = editor.store
      .allRecords()
      .filter(
        (record) =>
          record.typeName === 'instance_presence' && !keep.has(record.id as TLInstancePresence['id']),
      )
      .map((record) => record.id)
    editor.store.mergeRemoteChanges(() => {
      if (stale.length > 0) editor.store.remove(stale)
      if (presences.length > 0) editor.store.put(presences)
    })
  }
  awareness.on('change', onChange)
  onChange({ added: [], updated: [], removed: [] })

  // 'update' also fires for a state sent again unchanged ('change' does not): a co-pilot's heartbeat.
  const onUpdate = ({ updated }: { updated: number[] }) => {
    const now = Date.now()
    const refreshed = updated.filter((id) => {
      if (id === awareness.clientID || now - (lastActivity.get(id) ?? 0) < AI_ACTIVITY_REFRESH_MS)
        return false
      return parseAwarenessState(awareness.getStates().get(id))?.user.kind === 'ai'
    })
    if (refreshed.length === 0) return
    for (const id of refreshed) lastActivity.set(id, now)
    onChange({ added: [], updated: [], removed: [] })
  }
  awareness.on('update', onUpdate)

  return () => {
    stopReacting()
    if (timer) clearTimeout(timer)
    awareness.off('change', onChange)
    awareness.off('update', onUpdate)
    awareness.setLocalState(null)
  }
}
