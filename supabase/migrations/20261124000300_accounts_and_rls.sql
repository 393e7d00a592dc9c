-- Accounts: owners and members of rooms (Supabase Auth users), private rooms, and row-level
-- security so that the tables leak nothing through Supabase's REST API.
--
-- On Supabase the `anon` / `authenticated` roles and `auth.uid()` exist already; on a plain
-- Postgres or PGlite they are created here exactly as Supabase defines them (uid from the
-- `request.jwt.claims` setting), so the same policies can be tested anywhere.

-- Roles are cluster-wide: another database may be creating them at the same moment.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    begin
      create role anon nologin noinherit;
    exception when duplicate_object or unique_violation then null;
    end;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    begin
      create role authenticated nologin noinherit;
    exception when duplicate_object or unique_violation then null;
    end;
  end if;
end
$$;

create schema if not exists auth;

do $$
begin
  if not exists (
    select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'auth' and p.proname = 'uid'
  ) then
    execute $fn$
      create function auth.uid() returns uuid language sql stable as $body$
        select nullif(
          coalesce(
            current_setting('request.jwt.claim.sub', true),
            (current_setting('request.jwt.claims', true)::jsonb ->> 'sub')
          ),
          ''
        )::uuid
      $body$
    $fn$;
  end if;
end
$$;

grant usage on schema auth to anon, authenticated;

alter table rooms add column if not exists owner_id uuid;
alter table rooms add column if not exists is_private boolean not null default false;
create index if not exists rooms_owner_id_idx on rooms (owner_id);

-- Members of a room: invited by email, bound to a user id when that user first signs in.
create table if not exists room_members (
  id uuid primary key,
  room_id uuid not null references rooms (id) on delete cascade,
  user_id uuid,
  email text not null check (char_length(email) <= 320),
  role text not null check (role in ('owner', 'editor', 'viewer')),
  invited_at timestamptz not null default now(),
  unique (room_id, email)
);
create index if not exists room_members_user_id_idx on room_members (user_id);
alter table room_members enable row level security;

-- Is the signed-in user the room's owner or one of its members?
create or replace function public.is_room_member(target uuid) returns boolean
  language sql stable security definer set search_path = public as $$
    select exists (select 1 from rooms r where r.id = target and r.owner_id = auth.uid())
        or exists (select 1 from room_members m where m.room_id = target and m.user_id = auth.uid())
  $$;

create or replace function public.is_room_owner(target uuid) returns boolean
  language sql stable security definer set search_path = public as $$
    select exists (select 1 from rooms r where r.id = target and r.owner_id = auth.uid())
  $$;

-- Supabase grants table privileges to these roles by default; grant them here too so that RLS,
-- not a missing grant, is what protects every row.
grant select, insert, update, delete on all tables in schema public to anon, authenticated;
grant usage, select on all sequences in schema public to anon, authenticated;
grant execute on function public.is_room_member(uuid), public.is_room_owner(uuid) to anon, authenticated;

drop policy if exists rooms_read on rooms;
create policy rooms_read on rooms for select to authenticated using (public.is_room_member(id));
drop policy if exists rooms_owner_update on rooms;
create policy rooms_owner_update on rooms for update to authenticated
  using (owner_id = auth.uid()) with check (owner_id = auth.uid());
drop policy if exists rooms_owner_delete on rooms;
create policy rooms_owner_delete on rooms for delete to authenticated using (owner_id = auth.uid());

drop policy if exists room_links_owner_read on room_links;
create policy room_links_owner_read on room_links for select to authenticated using (public.is_room_owner(room_id));

drop policy if exists room_members_read on room_members;
create policy room_members_read on room_members for select to authenticated
  using (user_id = auth.uid() or public.is_room_owner(room_id));

drop policy if exists doc_updates_member_read on doc_updates;
create policy doc_updates_member_read on doc_updates for select to authenticated using (public.is_room_member(room_id));
drop policy if exists doc_snapshots_member_read on doc_snapshots;
create policy doc_snapshots_member_read on doc_snapshots for select to authenticated
  using (public.is_room_member(room_id));
drop policy if exists doc_versions_member_read on doc_versions;
create policy doc_versions_member_read on doc_versions for select to authenticated
  using (public.is_room_member(room_id));
-- doc_update_quarantine and drawbridge_migrations: no policy, so nothing through the REST API.
alter table drawbridge_migrations enable row level security;
