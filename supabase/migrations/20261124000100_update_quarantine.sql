-- Stored updates that are not valid Yjs updates are moved here (with the error) instead of being
-- deleted, so a room still loads from everything else and nothing is destroyed silently.
create table if not exists doc_update_quarantine (
  id bigint primary key,
  room_id uuid not null references rooms (id) on delete cascade,
  update bytea not null,
  error text not null,
  created_at timestamptz not null,
  quarantined_at timestamptz not null default now()
);
create index if not exists doc_update_quarantine_room_id_idx on doc_update_quarantine (room_id);

alter table doc_update_quarantine enable row level security;
