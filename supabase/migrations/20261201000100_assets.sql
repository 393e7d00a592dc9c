-- Images and videos on boards. A file's bytes are stored once, named by their SHA-256, in the
-- server's asset store (DATA_DIR/assets, or a Supabase Storage bucket); these tables say what each
-- blob is and which rooms use it. Deleting a room deletes its room_assets rows by cascade; the
-- server then deletes the blobs (rows and bytes) that no room uses any more.

create table if not exists asset_blobs (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  -- Decided from the file's first bytes at upload, never from the uploader's Content-Type.
  mime_type text not null check (mime_type in (
    'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml', 'video/mp4', 'video/webm'
  )),
  byte_size bigint not null check (byte_size >= 0),
  created_at timestamptz not null default now()
);

create table if not exists room_assets (
  room_id uuid not null references rooms (id) on delete cascade,
  sha256 text not null references asset_blobs (sha256),
  created_at timestamptz not null default now(),
  primary key (room_id, sha256)
);
-- "Does any room still use this blob?" when sweeping.
create index if not exists room_assets_sha256_idx on room_assets (sha256);

alter table asset_blobs enable row level security;
alter table room_assets enable row level security;
grant select, insert, update, delete on asset_blobs, room_assets to anon, authenticated;

-- Through Supabase's REST API, members see which assets their rooms use, and nothing else; only the
-- server (as the table owner) writes.
drop policy if exists room_assets_member_read on room_assets;
create policy room_assets_member_read on room_assets for select to authenticated
  using (public.is_room_member(room_id));
drop policy if exists asset_blobs_member_read on asset_blobs;
create policy asset_blobs_member_read on asset_blobs for select to authenticated
  using (exists (
    select 1 from room_assets r where r.sha256 = asset_blobs.sha256 and public.is_room_member(r.room_id)
  ));
