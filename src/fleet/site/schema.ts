/**
 * Migration 2 of the fleet store (src/fleet/store/schema.ts applies it): the site's daily list
 * (issue 18 part 2, byggherreforskriften § 15).
 *
 * - `events.holder_name`, `birth_date`, `org_name`: the holder fields a gate read after its decision
 *   (issue 18 part 1; the gate side fills them). Nullable: the card may leave the field first, and
 *   the list then marks the name missing until a later tap of that card carries them. Text, like
 *   `expiry`: the values are checked before any SQL runs (src/fleet/store/eventShape.ts).
 * - `site_workers_manual`: workers whose card is on order, added by hand for a range of days
 *   (the rules allow the list to name them with their employer).
 * - `site_daily_list`: the list's rows kept apart from the raw events (issue 18 part 4): `site
 *   prune` folds each day's taps into it before it deletes raw events older than their retention,
 *   so the list lives until building work end + 6 months while raw events go after 30 days.
 */
import type { Migration } from '../store/schema.js';

export const SITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 2,
    name: 'holder fields on events, manual workers, the daily list',
    statements: [
      'ALTER TABLE events ADD COLUMN holder_name text',
      'ALTER TABLE events ADD COLUMN birth_date text',
      'ALTER TABLE events ADD COLUMN org_name text',
      // The list asks "the latest holder fields of this card at this site".
      'CREATE INDEX events_site_card ON events (site_id, card_number, at)',
      `CREATE TABLE site_workers_manual (
        id bigserial PRIMARY KEY,
        site_id text NOT NULL,
        name text NOT NULL,
        birth_date text NOT NULL,
        org_number text NOT NULL,
        org_name text NOT NULL,
        hiring_name text,
        hiring_org_number text,
        from_day date NOT NULL,
        to_day date NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        CHECK (to_day >= from_day),
        CHECK ((hiring_name IS NULL) = (hiring_org_number IS NULL)))`,
      'CREATE INDEX site_workers_manual_site ON site_workers_manual (site_id, from_day)',
      `CREATE TABLE site_daily_list (
        site_id text NOT NULL,
        day date NOT NULL,
        card_number text NOT NULL,
        holder_name text,
        birth_date text,
        org_name text,
        org_number text,
        category text,
        first_at timestamptz NOT NULL,
        last_at timestamptz NOT NULL,
        taps integer NOT NULL,
        PRIMARY KEY (site_id, day, card_number))`,
      // The list's holder lookup of folded rows: the latest row of a card at a site.
      'CREATE INDEX site_daily_list_card ON site_daily_list (site_id, card_number, last_at)',
    ],
  },
  {
    // Issue 18 part 3: what `site export --hmsreg` sent, per tap (src/fleet/site/hmsreg/export.ts).
    // The next run sends the taps without a row. `failed`: HMSREG refused it (a 4xx other than 429),
    // `answer` holds its reply; such a tap is not sent again by itself (docs/site.md).
    version: 3,
    name: 'HMSREG registrations sent',
    statements: [
      `CREATE TABLE hmsreg_sent (
        gate_id text NOT NULL,
        seq bigint NOT NULL,
        site_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('sent', 'failed')),
        http_status integer NOT NULL,
        answer text,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (gate_id, seq))`,
    ],
  },
  {
    // Issue 18 fix-up: one store holds several sites, and gate ids are only unique within a site
    // (gate `south` at two sites). Keyed by (gate_id, seq), the second site's `south` #1 was dropped
    // as a duplicate of the first's, and the two shared one `gates` row. The EventSink idempotency
    // key is now (site, gateId, seq) (src/fleet/contracts.ts). Old keys were unique on a subset of
    // the new ones, so existing rows fit the new keys as they are.
    version: 4,
    name: 'events, gates and HMSREG registrations keyed per site',
    statements: [
      'ALTER TABLE events DROP CONSTRAINT events_pkey',
      'ALTER TABLE events ADD PRIMARY KEY (site_id, gate_id, seq)',
      'ALTER TABLE gates DROP CONSTRAINT gates_pkey',
      'ALTER TABLE gates ADD PRIMARY KEY (site_id, gate_id)',
      'ALTER TABLE hmsreg_sent DROP CONSTRAINT hmsreg_sent_pkey',
      'ALTER TABLE hmsreg_sent ADD PRIMARY KEY (site_id, gate_id, seq)',
    ],
  },
  {
    // Issue 18, "nothing is sent twice": a registration is recorded `sending` before its POST and
    // settled after the answer; one whose answer never came (a crash, a time-out after the request
    // went out) is `unknown`, never resent by itself (src/fleet/site/hmsreg/export.ts). A `sending`
    // row has no HTTP status yet.
    // The hot list's age when the gate decided (the follower's ageMs, src/fleet/follower.ts), on each
    // event and the gate's latest: the site page shows a gate's real list age, not a proxy.
    version: 5,
    name: 'HMSREG registrations in doubt; hot-list age on events and gates',
    statements: [
      'ALTER TABLE hmsreg_sent DROP CONSTRAINT hmsreg_sent_status_check',
      "ALTER TABLE hmsreg_sent ADD CONSTRAINT hmsreg_sent_status_check CHECK (status IN ('sending', 'sent', 'failed', 'unknown'))",
      'ALTER TABLE hmsreg_sent ALTER COLUMN http_status DROP NOT NULL',
      'ALTER TABLE events ADD COLUMN hotlist_age_ms bigint',
      'ALTER TABLE gates ADD COLUMN hotlist_age_ms bigint',
    ],
  },
];
