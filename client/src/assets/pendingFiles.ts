/**
 * Files added while the server could not be reached, kept in this device's IndexedDB until they
 * are uploaded: each under the placeholder `src` its asset record holds meanwhile. Must not touch:
 * the editor, the network.
 */

export interface PendingFile {
  /** The placeholder `src` (`asset:drawbridge-pending-…`) the asset record holds until upload. */
  src: string
  roomId: string
  /** The link to upload through once online. */
  linkId: string
  blob: Blob
  addedAt: number
}

const DB_NAME = 'drawbridge-assets'
const STORE = 'pending'

let opened: Promise<IDBDatabase> | undefined

function open(): Promise<IDBDatabase> {
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1)
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: 'src' })
      store.createIndex('roomId', 'roomId')
    }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  }).catch((error: unknown) => {
    opened = undefined
    throw error
  })
  return opened
}

async function run<T>(
  mode: IDBTransactionMode,
  action: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open()
  return new Promise<T>((resolve, reject) => {
    const transaction = db.transaction(STORE, mode)
    const request = action(transaction.objectStore(STORE))
    transaction.oncomplete = () => resolve(request.result)
    transaction.onerror = () => reject(transaction.error ?? request.error)
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'))
  })
}

export const pendingFiles = {
  put: (file: PendingFile) => run('readwrite', (store) => store.put(file)).then(() => undefined),
  get: (src: string) => run<PendingFile | undefined>('readonly', (store) => store.get(src)),
  forRoom: (roomId: string) =>
    run<PendingFile[]>('readonly', (store) => store.index('roomId').getAll(IDBKeyRange.only(roomId))),
  remove: (src: string) => run('readwrite', (store) => store.delete(src)).then(() => undefined),
}
