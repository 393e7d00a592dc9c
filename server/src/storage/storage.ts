/**
 * What the rest of the server may ask of the database, one interface per consumer: a room's
 * document as a snapshot plus an append-only update log (`DocumentLog`: sync/ loads it,
 * persistence/ writes it), rooms with their links and members (`RoomDirectory`: http/, rooms/,
 * mcp/, the co-pilot's agent links), version history (`VersionStore`: versions/, http/), which room
 * uses which file (`AssetIndex`: assets/), and the co-pilot's queue and metering (`CopilotStore`:
 * ai/). `openStorage` returns them together as `Storage`; each part is handed only its own.
 * Owns: these interfaces and their vocabulary (the SQL is in `sql*.ts`). Must not touch: Yjs, sockets.
 */
import type { JobStore, QueueOptions } from './copilot/jobStore'
import type { UsageStore } from './copilot/usageStore'

export type Role = 'editor' | 'viewer'

export interface LinkGrant {
  roomId: string
  role: Role
  title: string
  isPrivate: boolean
  ownerId: string | null
  expiresAt: Date | null
  revokedAt: Date | null
  /** `agent`: issued by the server to its own co-pilot peer, never shown to owners. */
  purpose: 'share' | 'agent'
}

export interface RoomLink {
  id: string
  role: Role
  createdAt: Date
  expiresAt: Date | null
  revokedAt: Date | null
}

export interface RoomInfo {
  roomId: string
  title: string
  ownerKeyHash: string
  ownerId: string | null
  isPrivate: boolean
}

export type MemberRole = 'owner' | 'editor' | 'viewer'

export interface RoomMember {
  id: string
  userId: string | null
  email: string
  role: MemberRole
  invitedAt: Date
}

export interface UserRoom {
  roomId: string
  title: string
  role: MemberRole
  isPrivate: boolean
  updatedAt: Date
}

export interface CreatedRoom {
  roomId: string
  editLinkId: string
  viewLinkId: string
}

export interface StoredUpdate {
  id: number
  /** One Yjs update, or (`updateCount` > 1) that many packed together (`updateBatch.ts`). */
  update: Uint8Array
  updateCount: number
}

/** A room's persisted document: the compacted snapshot (if any) and the updates after it. */
export interface StoredDocument {
  snapshot: Uint8Array | null
  updates: StoredUpdate[]
}

/** A room's rows folded into one state; rows that could not be applied go to quarantine, not away. */
export interface FoldedDocument {
  state: Uint8Array
  corrupt: Array<{ id: number; error: string }>
}

export interface UpdateLogStats {
  count: number
  bytes: number
}

export type VersionKind = 'auto' | 'named'

export interface VersionSummary {
  id: string
  name: string | null
  kind: VersionKind
  at: Date
  actors: string[]
}

/** A named version saved, or refused because the room's named versions already use `usedBytes`. */
export type NamedVersionSave = { ok: true; version: VersionSummary } | { ok: false; usedBytes: number }

/** A room's document: tldraw's `TLSyncStorage` or Hocuspocus's database extension, in SQL. */
export interface DocumentLog {
  load(roomId: string): Promise<StoredDocument>
  /** Appends one row: a Yjs update, or `updateCount` updates packed together. */
  append(roomId: string, update: Uint8Array, updateCount: number): Promise<void>
  /** How many update rows (and bytes) wait to be folded into the snapshot. */
  stats(roomId: string): Promise<UpdateLogStats>
  /**
   * Folds the room's snapshot and updates into one state with `fold` and deletes exactly the
   * folded rows, in one transaction under a per-room lock. Returns false when another instance
   * holds the lock (it is compacting already).
   */
  compact(roomId: string, fold: (document: StoredDocument) => FoldedDocument): Promise<boolean>
  /** Moves update rows that are not valid Yjs updates out of the room's log, keeping their bytes. */
  quarantine(roomId: string, rows: Array<{ id: number; error: string }>): Promise<void>
}

/** Rooms, their links (share links, and the agents' own) and their members. */
export interface RoomDirectory {
  /** A room with an edit and a view link, its document starting at `initialState`. */
  createRoom(input: {
    title: string
    ownerKeyHash: string
    initialState: Uint8Array
    ownerId?: string | null
    isPrivate?: boolean
  }): Promise<CreatedRoom>
  findLink(linkId: string): Promise<LinkGrant | undefined>
  getRoom(roomId: string): Promise<RoomInfo | undefined>
  updateRoom(roomId: string, change: { title?: string; isPrivate?: boolean }): Promise<void>
  /** Deletes the room and, by cascade, its links, updates, snapshots and versions. */
  deleteRoom(roomId: string): Promise<void>
  /**
   * The user's role in a room (owner, or a member invited by id or by email — an email invitation
   * is bound to the user id here, at first use); undefined for non-members.
   */
  memberRole(roomId: string, user: { id: string; email: string | null }): Promise<MemberRole | undefined>
  listMembers(roomId: string): Promise<RoomMember[]>
  addMember(roomId: string, email: string, role: Exclude<MemberRole, 'owner'>): Promise<RoomMember>
  removeMember(roomId: string, memberId: string): Promise<RoomMember | undefined>
  /** Rooms the user owns or is a member of, most recently changed first. */
  roomsOf(userId: string): Promise<UserRoom[]>
  /** The room's share links (agent links are not listed). */
  listLinks(roomId: string): Promise<RoomLink[]>
  /** A link for the server's own agent peer (an editor unless `role` says), valid until `expiresAt`. */
  createAgentLink(roomId: string, expiresAt: Date, role?: Role): Promise<string>
  revokeAgentLink(linkId: string): Promise<void>
  /** Revokes `linkId` and issues a new link with the same role and expiry; undefined if not the room's. */
  rotateLink(roomId: string, linkId: string): Promise<RoomLink | undefined>
  updateLink(
    roomId: string,
    linkId: string,
    change: { role?: Role; expiresAt?: Date | null; revoked?: boolean },
  ): Promise<RoomLink | undefined>
}

/** What deciding a link's access reads: the link, and the person's membership of its room. */
export type LinkLookup = Pick<RoomDirectory, 'findLink' | 'memberRole'>

/** What an agent peer (the co-pilot, an MCP session) needs: a link of its own while it works. */
export type AgentLinks = Pick<RoomDirectory, 'createAgentLink' | 'revokeAgentLink'>

/** A room's saved states: automatic ones (bounded by count) and named ones (bounded by bytes). */
export interface VersionStore {
  save(input: {
    roomId: string
    name: string | null
    kind: VersionKind
    state: Uint8Array
    actors: string[]
  }): Promise<VersionSummary>
  /** A named version, unless the room's named versions would then pass `quotaBytes`. */
  saveNamed(
    input: { roomId: string; name: string; state: Uint8Array; actors: string[] },
    quotaBytes: number,
  ): Promise<NamedVersionSave>
  /** Newest first. */
  list(roomId: string): Promise<VersionSummary[]>
  load(roomId: string, versionId: string): Promise<Uint8Array | undefined>
  /** Deletes automatic versions beyond the newest `keep`; named versions are kept. */
  pruneAuto(roomId: string, keep: number): Promise<void>
}

/** The co-pilot's own tables: its queue (built with the queue's options) and its metering. */
export interface CopilotStore {
  queue(options: QueueOptions): JobStore
  readonly usage: UsageStore
}

/** Which database answers, and whether it does (the health check). */
export interface DatabaseHealth {
  readonly kind: 'pglite' | 'postgres'
  ping(): Promise<void>
}

/** Every store over one database, as `openStorage` returns it. */
export interface Storage extends DatabaseHealth {
  readonly documents: DocumentLog
  readonly rooms: RoomDirectory
  readonly versions: VersionStore
  /** Which room uses which asset blob (the bytes themselves are in `assets/`'s AssetStore). */
  readonly assets: AssetIndex
  readonly copilot: CopilotStore
  close(): Promise<void>
}

/** One stored file: its content address, sniffed type and size. */
export interface AssetBlob {
  sha256: string
  mimeType: string
  byteSize: number
}

export type AssetAttachment = { ok: true; usedBytes: number } | { ok: false; usedBytes: number }

export interface AssetIndex {
  /**
   * Records that `roomId` uses `blob` unless that would take the room's assets past `quotaBytes`
   * (a blob the room already uses costs nothing). `persist` writes the bytes inside the same
   * transaction, under the blob's lock; if it throws, nothing is recorded.
   */
  attach(
    roomId: string,
    blob: AssetBlob,
    quotaBytes: number,
    persist: () => Promise<void>,
  ): Promise<AssetAttachment>
  /** The blob, if `roomId` uses it. */
  find(roomId: string, sha256: string): Promise<AssetBlob | undefined>
  /** Bytes of every blob the room uses. */
  usage(roomId: string): Promise<number>
  /**
   * Deletes the rows of blobs no room uses any more (a deleted room's, by cascade) and, under their
   * locks, their bytes through `remove`. Returns the names removed.
   */
  sweep(remove: (sha256s: string[]) => Promise<void>): Promise<string[]>
}
