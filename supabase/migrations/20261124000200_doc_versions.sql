-- Versions of a room's document: automatic ones (on compaction and every few minutes of
-- activity), named ones saved by editors, and the state before each restore.
create table if not exists doc_versions (
  id uuid primary key,
  room_id uuid not null references rooms (id) on delete cascade,
  name text check (char_length(name) <= 200),
  kind text not null check (kind in ('auto', 'named')),
  state bytea not null,
  -- Names of the people (and agents) active since the previous version.
  actors jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now()
);
create index if not exists doc_versions_room_id_created_at_idx on doc_versions (room_id, created_at desc);

alter table doc_versions enable row level security;
