// Migration 003-controls: the catalogue of the apps' sets, the controls table and its change notification.

/** The channel a change to `tracks_controls` is announced on; the payload is the table's schema. */
export const CONTROLS_CHANNEL = 'tracks_controls';

/**
 * `tracks_sets` (what the apps registered: the command line checks a control against it),
 * `tracks_controls` (one row per controlled set; a null column keeps the class's static), and a
 * statement trigger that NOTIFYs every listening server of any change, at commit.
 */
export const CONTROLS_MIGRATION = {
  version: '003-controls',
  description: 'run-time controls of sets (disabled, pinned, coverage) and the catalogue of the sets apps registered',
  statements: [
    `create table if not exists {schema}.tracks_sets (
      set_name text primary key,
      variants text[] not null,
      algorithm text not null,
      disabled boolean not null,
      pinned text,
      coverage double precision not null,
      published_at timestamptz not null
    )`,
    `create table if not exists {schema}.tracks_controls (
      set_name text primary key,
      disabled boolean,
      pinned text check (pinned <> ''),
      coverage double precision check (coverage >= 0 and coverage <= 1),
      updated_at timestamptz not null default now(),
      updated_by text,
      note text
    )`,
    `create or replace function {schema}.tracks_controls_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('${CONTROLS_CHANNEL}', tg_table_schema);
      return null;
    end
    $$`,
    `drop trigger if exists tracks_controls_notify on {schema}.tracks_controls`,
    `create trigger tracks_controls_notify after insert or update or delete or truncate on {schema}.tracks_controls
      for each statement execute function {schema}.tracks_controls_notify()`,
  ],
} as const;

/**
 * Migration 004-rollout: paused variants (or members) in a control, and multi sets and a named
 * control variant in the catalogue, so the command line can check a control of a MultiTrackSet
 * and reports can name the control arm.
 */
export const ROLLOUT_MIGRATION = {
  version: '004-rollout',
  description: 'paused variants in controls; multi sets and control variants in the catalogue',
  statements: [
    `alter table {schema}.tracks_controls add column if not exists paused text[]`,
    `alter table {schema}.tracks_sets add column if not exists members text[]`,
    `alter table {schema}.tracks_sets add column if not exists control_variant text`,
  ],
} as const;
