// Migration 005-control-changes: every change to a set's control kept with who and when, by a trigger on tracks_controls.

/**
 * `tracks_control_changes`: one row per insert, update or delete of a `tracks_controls` row, with
 * the control before and after (the row's control columns as JSON, so a column added later is kept
 * too), who (`updated_by` of the new row; null for a delete, which names nobody) and when. A
 * row-level trigger writes it in the same transaction as the change, so no write is unrecorded,
 * whoever made it (the console, `tracks-ab controls`, `changeControl` from code).
 */
export const CONTROL_CHANGES_MIGRATION = {
  version: '005-control-changes',
  description: 'the history of run-time controls: every change with the control before and after, who and when',
  statements: [
    `create table if not exists {schema}.tracks_control_changes (
      id bigserial primary key,
      set_name text not null,
      before jsonb,
      after jsonb,
      changed_by text,
      note text,
      changed_at timestamptz not null default now()
    )`,
    'create index if not exists tracks_control_changes_set_time on {schema}.tracks_control_changes (set_name, changed_at)',
    `create or replace function {schema}.tracks_control_changes_record() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into {schema}.tracks_control_changes (set_name, before, after, changed_by, note, changed_at)
        values (new.set_name, null, to_jsonb(new) - 'set_name' - 'updated_at' - 'updated_by' - 'note', new.updated_by, new.note, new.updated_at);
      elsif tg_op = 'UPDATE' then
        insert into {schema}.tracks_control_changes (set_name, before, after, changed_by, note, changed_at)
        values (new.set_name, to_jsonb(old) - 'set_name' - 'updated_at' - 'updated_by' - 'note',
                to_jsonb(new) - 'set_name' - 'updated_at' - 'updated_by' - 'note', new.updated_by, new.note, new.updated_at);
      else
        insert into {schema}.tracks_control_changes (set_name, before, after, changed_by, note, changed_at)
        values (old.set_name, to_jsonb(old) - 'set_name' - 'updated_at' - 'updated_by' - 'note', null, null, null, now());
      end if;
      return null;
    end
    $$`,
    'drop trigger if exists tracks_control_changes_record on {schema}.tracks_controls',
    `create trigger tracks_control_changes_record after insert or update or delete on {schema}.tracks_controls
      for each row execute function {schema}.tracks_control_changes_record()`,
  ],
} as const;
