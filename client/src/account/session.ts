/**
 * Sign-in through Supabase Auth, when the server says it is configured (`GET /api/config`);
 * without it the app is fully anonymous and shows no sign-in. Owns the current session and the
 * headers/params that carry its JWT to the server. Must not touch: the board, the doc.
 */
import type { Session, SupabaseClient } from '@supabase/supabase-js'
import { useEffect, useState } from 'react'
import { appConfig } from '../app/appConfig'

let client: Promise<SupabaseClient | null> | undefined
let current: Session | null = null
const listeners = new Set<(session: Session | null) => void>()

/** The Supabase client, or null when the server has no accounts configured (or is unreachable). */
export function supabase(): Promise<SupabaseClient | null> {
  client ??= (async () => {
    const config = await appConfig()
    if (!config.auth) return null
    const { createClient } = await import('@supabase/supabase-js')
    const instance = createClient(config.auth.supabaseUrl, config.auth.supabaseAnonKey)
    const { data } = await instance.auth.getSession()
    current = data.session
    instance.auth.onAuthStateChange((_event, session) => {
      current = session
      for (const listener of listeners) listener(session)
    })
    return instance
  })()
  return client
}

/** Resolves once the session (if any) is known, so the first requests already carry it. */
export async function sessionReady(): Promise<Session | null> {
  await supabase()
  return current
}

/** `Authorization` for HTTP requests when signed in. */
export function authHeaders(): Record<string, string> {
  return current ? { authorization: `Bearer ${current.access_token}` } : {}
}

/** `?token=` for the sync socket when signed in. */
export function authParams(): Record<string, string> {
  return current ? { token: current.access_token } : {}
}

/** `undefined` while loading, `null` when accounts are off, else the session (or signed out). */
export function useAccount(): { enabled: boolean; session: Session | null } | undefined {
  const [state, setState] = useState<{ enabled: boolean; session: Session | null }>()
  useEffect(() => {
    let live = true
    const update = (session: Session | null) => live && setState({ enabled: true, session })
    void supabase().then((instance) => {
      if (!live) return
      if (!instance) return setState({ enabled: false, session: null })
      update(current)
      listeners.add(update)
    })
    return () => {
      live = false
      listeners.delete(update)
    }
  }, [])
  return state
}
