-- Rooms, their capability links, and each room's Yjs document (append-only updates + one snapshot).
-- Applied by the Supabase CLI in production and by the server at start-up (PGlite / plain Postgres);
-- every statement is idempotent so a re-run is harmless.

create table if not exists rooms (
  id uuid primary key,
  title text not null default '' check (char_length(title) <= 200),
  owner_key_hash text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- A link id is an unguessable capability (>= 128 random bits) that grants one role in one room.
create table if not exists room_links (
  id text primary key check (char_length(id) >= 22),
  room_id uuid not null references rooms (id) on delete cascade,
  role text not null check (role in ('editor', 'viewer')),
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz
);
create index if not exists room_links_room_id_idx on room_links (room_id);

-- Every persisted Yjs update, in arrival order; folded into doc_snapshots by compaction.
create table if not exists doc_updates (
  id bigserial primary key,
  room_id uuid not null references rooms (id) on delete cascade,
  update bytea not null,
  created_at timestamptz not null default now()
);
create index if not exists doc_updates_room_id_id_idx on doc_updates (room_id, id);

-- The compacted state of a room: every update with id <= folded_through is in `state`.
create table if not exists doc_snapshots (
  room_id uuid primary key references rooms (id) on delete cascade,
  state bytea not null,
  folded_through bigint not null,
  updated_at timestamptz not null default now()
);

-- Deny by default through Supabase's REST API; the server connects as the owner. Policies for
-- signed-in members come with accounts.
alter table rooms enable row level security;
alter table room_links enable row level security;
alter table doc_updates enable row level security;
alter table doc_snapshots enable row level security;
