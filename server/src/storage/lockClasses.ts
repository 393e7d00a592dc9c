/**
 * Namespaces of the Postgres advisory locks storage takes (the first int of the two-int key; the
 * second is `hashtext` of the room, blob or plan key). One table so no two concerns share a class.
 * Must not touch: anything but these numbers.
 */
export const LockClass = {
  /** One compaction of a room at a time, across instances. */
  compaction: 71_042,
  /** One writer of a content-addressed blob. */
  blob: 71_043,
  /** A room's asset quota, counted and spent atomically. */
  roomAssets: 71_044,
  /** A room's named-version quota. */
  roomVersions: 71_045,
  /** The co-pilot queue's admission (per-plan concurrency and queue length). */
  copilotAdmission: 71_046,
} as const
