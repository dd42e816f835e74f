"""Ordered, named schema steps; each is applied once, in a transaction with its record row.

An applied step is never edited: change the schema by appending a new step.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock, to_iso
from bot.storage.db import Database


@dataclass(frozen=True)
class Migration:
    """One schema step: a unique name and the statements it runs."""

    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001_members",
        (
            """CREATE TABLE members (
                user_id        INTEGER PRIMARY KEY,
                language       TEXT NOT NULL CHECK (language IN ('fr', 'en')),
                role           TEXT NOT NULL DEFAULT 'member'
                               CHECK (role IN ('member', 'facilitator', 'animator')),
                display_name   TEXT,
                organisation   TEXT,
                territory      TEXT,
                function       TEXT,
                consent_version TEXT NOT NULL,
                consented_at   TEXT NOT NULL,
                registered_at  TEXT,
                subscribed     INTEGER NOT NULL DEFAULT 1,
                unreachable_at TEXT,
                created_at     TEXT NOT NULL,
                updated_at     TEXT NOT NULL
            )""",
            "CREATE INDEX members_role ON members (role)",
        ),
    ),
    Migration(
        "0002_consent_refusals",
        (
            """CREATE TABLE consent_refusals (
                id             INTEGER PRIMARY KEY,
                user_id        INTEGER NOT NULL,
                notice_version TEXT NOT NULL,
                refused_at     TEXT NOT NULL
            )""",
            "CREATE INDEX consent_refusals_user ON consent_refusals (user_id)",
        ),
    ),
    Migration(
        "0003_audit_log",
        (
            """CREATE TABLE audit_log (
                id       INTEGER PRIMARY KEY,
                at       TEXT NOT NULL,
                user_id  INTEGER,
                action   TEXT NOT NULL,
                allowed  INTEGER NOT NULL,
                detail   TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX audit_log_at ON audit_log (at)",
        ),
    ),
    Migration(
        "0004_conversation_states",
        (
            """CREATE TABLE conversation_states (
                name    TEXT NOT NULL,
                key     TEXT NOT NULL,
                user_id INTEGER,
                state   TEXT NOT NULL,
                PRIMARY KEY (name, key)
            )""",
            "CREATE INDEX conversation_states_user ON conversation_states (user_id)",
        ),
    ),
    Migration(
        "0005_deliveries",
        (
            """CREATE TABLE sends (
                id          INTEGER PRIMARY KEY,
                kind        TEXT NOT NULL,
                category    TEXT NOT NULL,
                created_by  INTEGER,
                created_at  TEXT NOT NULL,
                due_at      TEXT NOT NULL,
                status      TEXT NOT NULL DEFAULT 'scheduled'
                            CHECK (status IN ('scheduled', 'sending', 'done', 'cancelled')),
                started_at  TEXT,
                finished_at TEXT,
                urgent      INTEGER NOT NULL DEFAULT 0,
                parts       TEXT NOT NULL,
                keyboards   TEXT NOT NULL DEFAULT '{}'
            )""",
            "CREATE INDEX sends_status ON sends (status, due_at)",
            """CREATE TABLE deliveries (
                id          INTEGER PRIMARY KEY,
                send_id     INTEGER NOT NULL REFERENCES sends (id) ON DELETE CASCADE,
                chat_id     INTEGER,
                user_id     INTEGER,
                language    TEXT NOT NULL,
                state       TEXT NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'blocked',
                                             'unknown')),
                not_before  TEXT,
                attempts    INTEGER NOT NULL DEFAULT 0,
                message_ids TEXT NOT NULL DEFAULT '[]',
                error       TEXT,
                updated_at  TEXT NOT NULL,
                sent_at     TEXT,
                UNIQUE (send_id, chat_id)
            )""",
            "CREATE INDEX deliveries_send_state ON deliveries (send_id, state)",
            "CREATE INDEX deliveries_user ON deliveries (user_id)",
            """CREATE TABLE delivery_preferences (
                user_id    INTEGER NOT NULL,
                category   TEXT NOT NULL,
                opted_out  INTEGER NOT NULL CHECK (opted_out IN (0, 1)),
                updated_at TEXT NOT NULL,
                PRIMARY KEY (user_id, category)
            )""",
        ),
    ),
    Migration(
        "0006_group_chats",
        (
            """CREATE TABLE group_chats (
                chat_id    INTEGER PRIMARY KEY,
                title      TEXT NOT NULL,
                active     INTEGER NOT NULL,
                updated_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        "0008_visio",
        (
            """CREATE TABLE visio_settings (
                id              INTEGER PRIMARY KEY CHECK (id = 1),
                rule            TEXT,
                start_time      TEXT NOT NULL DEFAULT '14:00',
                duration        INTEGER NOT NULL DEFAULT 120,
                anchor          TEXT,
                link            TEXT,
                proposal_days   INTEGER NOT NULL DEFAULT 21,
                vote_open_days  INTEGER NOT NULL DEFAULT 14,
                vote_close_days INTEGER NOT NULL DEFAULT 7,
                reminders       TEXT NOT NULL DEFAULT '[10080, 1440, 60]',
                group_chat_id   INTEGER,
                updated_at      TEXT NOT NULL
            )""",
            """CREATE TABLE visio_topics (
                id          INTEGER PRIMARY KEY,
                title       TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                norm        TEXT NOT NULL,
                author_id   INTEGER,
                status      TEXT NOT NULL DEFAULT 'open'
                            CHECK (status IN ('open', 'chosen', 'rejected', 'merged')),
                merged_into INTEGER REFERENCES visio_topics (id),
                reason      TEXT,
                created_at  TEXT NOT NULL,
                updated_at  TEXT NOT NULL
            )""",
            "CREATE INDEX visio_topics_status ON visio_topics (status, norm)",
            "CREATE INDEX visio_topics_author ON visio_topics (author_id)",
            """CREATE TABLE visio_sessions (
                id              INTEGER PRIMARY KEY,
                kind            TEXT NOT NULL CHECK (kind IN ('monthly', 'oneoff')),
                status          TEXT NOT NULL CHECK (status IN
                                ('planned', 'voting', 'scheduled', 'no_topic', 'cancelled')),
                occurrence      TEXT UNIQUE,
                starts_at       TEXT NOT NULL,
                ends_at         TEXT NOT NULL,
                title           TEXT,
                description     TEXT NOT NULL DEFAULT '',
                topic_id        INTEGER REFERENCES visio_topics (id),
                link            TEXT,
                sequence        INTEGER NOT NULL DEFAULT 0,
                vote_opens_at   TEXT,
                vote_closes_at  TEXT,
                voters          INTEGER,
                poll_chat_id    INTEGER,
                poll_message_id INTEGER,
                poll_id         TEXT UNIQUE,
                poll_open       INTEGER NOT NULL DEFAULT 0,
                created_at      TEXT NOT NULL,
                updated_at      TEXT NOT NULL
            )""",
            "CREATE INDEX visio_sessions_starts ON visio_sessions (starts_at)",
            """CREATE TABLE visio_steps (
                session_id INTEGER NOT NULL REFERENCES visio_sessions (id) ON DELETE CASCADE,
                step       TEXT NOT NULL,
                due_at     TEXT NOT NULL,
                done_at    TEXT,
                outcome    TEXT,
                PRIMARY KEY (session_id, step)
            )""",
            "CREATE INDEX visio_steps_due ON visio_steps (done_at, due_at)",
            """CREATE TABLE visio_ballot (
                session_id INTEGER NOT NULL REFERENCES visio_sessions (id) ON DELETE CASCADE,
                position   INTEGER NOT NULL,
                topic_id   INTEGER NOT NULL REFERENCES visio_topics (id),
                votes      INTEGER,
                PRIMARY KEY (session_id, topic_id),
                UNIQUE (session_id, position)
            )""",
            """CREATE TABLE visio_votes (
                session_id INTEGER NOT NULL REFERENCES visio_sessions (id) ON DELETE CASCADE,
                user_id    INTEGER NOT NULL,
                topic_id   INTEGER NOT NULL,
                source     TEXT NOT NULL CHECK (source IN ('private', 'poll')),
                at         TEXT NOT NULL,
                PRIMARY KEY (session_id, user_id, topic_id)
            )""",
            "CREATE INDEX visio_votes_user ON visio_votes (user_id)",
            """CREATE TABLE visio_rsvps (
                id         INTEGER PRIMARY KEY,
                session_id INTEGER NOT NULL REFERENCES visio_sessions (id) ON DELETE CASCADE,
                user_id    INTEGER,
                answer     TEXT CHECK (answer IN ('yes', 'no')),
                attended   INTEGER CHECK (attended IN (0, 1)),
                rating     INTEGER CHECK (rating BETWEEN 1 AND 5),
                comment    TEXT,
                updated_at TEXT NOT NULL,
                UNIQUE (session_id, user_id)
            )""",
            "CREATE INDEX visio_rsvps_user ON visio_rsvps (user_id)",
            """CREATE TABLE visio_inputs (
                user_id    INTEGER PRIMARY KEY,
                kind       TEXT NOT NULL,
                ref        INTEGER,
                draft      TEXT,
                updated_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        "0009_codev",
        (
            """CREATE TABLE codev_groups (
                id             INTEGER PRIMARY KEY,
                name           TEXT NOT NULL,
                theme          TEXT NOT NULL,
                size_limit     INTEGER NOT NULL CHECK (size_limit BETWEEN 4 AND 8),
                meeting_mode   TEXT NOT NULL CHECK (meeting_mode IN ('video', 'place')),
                meeting_detail TEXT NOT NULL,
                charter        TEXT NOT NULL,
                facilitator_id INTEGER,
                chat_id        INTEGER,
                step_minutes   TEXT NOT NULL,
                followup_weeks INTEGER NOT NULL,
                created_by     INTEGER,
                created_at     TEXT NOT NULL
            )""",
            "CREATE INDEX codev_groups_facilitator ON codev_groups (facilitator_id)",
            """CREATE TABLE codev_seats (
                group_id   INTEGER NOT NULL REFERENCES codev_groups (id) ON DELETE CASCADE,
                user_id    INTEGER NOT NULL,
                status     TEXT NOT NULL CHECK (status IN ('member', 'offered', 'waiting')),
                since      TEXT NOT NULL,
                charter_accepted_at TEXT NOT NULL,
                PRIMARY KEY (group_id, user_id)
            )""",
            "CREATE INDEX codev_seats_user ON codev_seats (user_id)",
            """CREATE TABLE codev_entries (
                group_id     INTEGER NOT NULL REFERENCES codev_groups (id) ON DELETE CASCADE,
                user_id      INTEGER NOT NULL,
                invite_id    INTEGER,
                requested_at TEXT NOT NULL,
                approved_at  TEXT,
                PRIMARY KEY (group_id, user_id)
            )""",
            "CREATE INDEX codev_entries_user ON codev_entries (user_id)",
            """CREATE TABLE codev_invites (
                id         INTEGER PRIMARY KEY,
                group_id   INTEGER NOT NULL REFERENCES codev_groups (id) ON DELETE CASCADE,
                code_hash  TEXT NOT NULL UNIQUE,
                created_by INTEGER,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                revoked_at TEXT
            )""",
            """CREATE TABLE codev_code_attempts (
                id      INTEGER PRIMARY KEY,
                user_id INTEGER NOT NULL,
                at      TEXT NOT NULL
            )""",
            "CREATE INDEX codev_code_attempts_user ON codev_code_attempts (user_id, at)",
            """CREATE TABLE codev_sessions (
                id               INTEGER PRIMARY KEY,
                group_id         INTEGER NOT NULL REFERENCES codev_groups (id) ON DELETE CASCADE,
                client_id        INTEGER,
                case_text        TEXT NOT NULL,
                status           TEXT NOT NULL CHECK (status IN ('requested', 'polling',
                                 'scheduled', 'running', 'held', 'declined')),
                requested_at     TEXT NOT NULL,
                starts_at        TEXT,
                link             TEXT,
                sequence         INTEGER NOT NULL DEFAULT 0,
                guide_mode       TEXT CHECK (guide_mode IN ('chat', 'private')),
                step             INTEGER NOT NULL DEFAULT 0,
                step_started_at  TEXT,
                step_alerted     INTEGER NOT NULL DEFAULT 0,
                step_minutes     TEXT NOT NULL,
                held_at          TEXT,
                plan_recorded_at TEXT,
                followup_due_at  TEXT,
                followup_asked_at TEXT,
                followup_done_at TEXT
            )""",
            "CREATE INDEX codev_sessions_group ON codev_sessions (group_id, status)",
            "CREATE INDEX codev_sessions_client ON codev_sessions (client_id)",
            """CREATE TABLE codev_date_options (
                session_id INTEGER NOT NULL REFERENCES codev_sessions (id) ON DELETE CASCADE,
                number     INTEGER NOT NULL,
                starts_at  TEXT NOT NULL,
                PRIMARY KEY (session_id, number)
            )""",
            """CREATE TABLE codev_date_votes (
                session_id INTEGER NOT NULL,
                number     INTEGER NOT NULL,
                user_id    INTEGER NOT NULL,
                PRIMARY KEY (session_id, number, user_id),
                FOREIGN KEY (session_id, number) REFERENCES codev_date_options (session_id, number)
                    ON DELETE CASCADE
            )""",
            """CREATE TABLE codev_rsvps (
                session_id INTEGER NOT NULL REFERENCES codev_sessions (id) ON DELETE CASCADE,
                user_id    INTEGER NOT NULL,
                answer     TEXT NOT NULL CHECK (answer IN ('yes', 'no')),
                at         TEXT NOT NULL,
                PRIMARY KEY (session_id, user_id)
            )""",
            """CREATE TABLE codev_attendance (
                session_id INTEGER NOT NULL REFERENCES codev_sessions (id) ON DELETE CASCADE,
                user_id    INTEGER,
                UNIQUE (session_id, user_id)
            )""",
            """CREATE TABLE codev_reminders (
                session_id INTEGER NOT NULL REFERENCES codev_sessions (id) ON DELETE CASCADE,
                kind       TEXT NOT NULL,
                due_at     TEXT NOT NULL,
                done_at    TEXT,
                PRIMARY KEY (session_id, kind)
            )""",
            """CREATE TABLE codev_actions (
                id          INTEGER PRIMARY KEY,
                session_id  INTEGER NOT NULL REFERENCES codev_sessions (id) ON DELETE CASCADE,
                position    INTEGER NOT NULL,
                text        TEXT NOT NULL,
                due_on      TEXT,
                status      TEXT CHECK (status IN ('done', 'doing', 'dropped')),
                note        TEXT,
                answered_at TEXT,
                UNIQUE (session_id, position)
            )""",
            """CREATE TABLE codev_learnings (
                session_id INTEGER NOT NULL REFERENCES codev_sessions (id) ON DELETE CASCADE,
                user_id    INTEGER NOT NULL,
                text       TEXT NOT NULL,
                at         TEXT NOT NULL,
                PRIMARY KEY (session_id, user_id)
            )""",
            """CREATE TABLE codev_inputs (
                user_id INTEGER NOT NULL,
                kind    TEXT NOT NULL,
                ref     INTEGER,
                data    TEXT NOT NULL DEFAULT '{}',
                at      TEXT NOT NULL,
                PRIMARY KEY (user_id, kind)
            )""",
        ),
    ),
    Migration(
        "0007_diagnostics",
        (
            """CREATE TABLE diagnostic_campaigns (
                id               INTEGER PRIMARY KEY,
                questionnaire_id TEXT NOT NULL,
                definition       TEXT NOT NULL,
                segment          TEXT,
                anonymous        INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
                opens_at         TEXT NOT NULL,
                closes_at        TEXT NOT NULL,
                reminder_plan    TEXT NOT NULL,
                previous_id      INTEGER REFERENCES diagnostic_campaigns (id),
                wave             INTEGER NOT NULL DEFAULT 1,
                threshold        INTEGER NOT NULL DEFAULT 5 CHECK (threshold >= 1),
                status           TEXT NOT NULL DEFAULT 'scheduled'
                                 CHECK (status IN ('scheduled', 'open', 'closed')),
                invitation_send  INTEGER,
                created_by       INTEGER,
                created_at       TEXT NOT NULL,
                closed_at        TEXT,
                published_at     TEXT
            )""",
            "CREATE INDEX diagnostic_campaigns_status ON diagnostic_campaigns (status)",
            """CREATE TABLE diagnostic_audience (
                id          INTEGER PRIMARY KEY,
                campaign_id INTEGER NOT NULL REFERENCES diagnostic_campaigns (id)
                            ON DELETE CASCADE,
                user_id     INTEGER,
                UNIQUE (campaign_id, user_id)
            )""",
            "CREATE INDEX diagnostic_audience_user ON diagnostic_audience (user_id)",
            """CREATE TABLE diagnostic_responses (
                id           INTEGER PRIMARY KEY,
                campaign_id  INTEGER NOT NULL REFERENCES diagnostic_campaigns (id)
                             ON DELETE CASCADE,
                user_id      INTEGER,
                pseudonym    TEXT NOT NULL,
                position     INTEGER NOT NULL DEFAULT 0,
                started_at   TEXT NOT NULL,
                updated_at   TEXT NOT NULL,
                completed_at TEXT,
                UNIQUE (campaign_id, user_id),
                UNIQUE (campaign_id, pseudonym)
            )""",
            "CREATE INDEX diagnostic_responses_user ON diagnostic_responses (user_id)",
            """CREATE TABLE diagnostic_answers (
                response_id INTEGER NOT NULL REFERENCES diagnostic_responses (id)
                            ON DELETE CASCADE,
                question_id TEXT NOT NULL,
                choice      TEXT,
                text        TEXT,
                dont_know   INTEGER NOT NULL DEFAULT 0 CHECK (dont_know IN (0, 1)),
                updated_at  TEXT NOT NULL,
                PRIMARY KEY (response_id, question_id)
            )""",
            """CREATE TABLE diagnostic_reminders (
                id          INTEGER PRIMARY KEY,
                campaign_id INTEGER NOT NULL REFERENCES diagnostic_campaigns (id)
                            ON DELETE CASCADE,
                due_at      TEXT NOT NULL,
                done_at     TEXT,
                send_id     INTEGER
            )""",
            "CREATE INDEX diagnostic_reminders_due ON diagnostic_reminders (done_at, due_at)",
            """CREATE TABLE diagnostic_drafts (
                user_id          INTEGER PRIMARY KEY,
                questionnaire_id TEXT NOT NULL,
                previous_id      INTEGER,
                segment          TEXT,
                anonymous        INTEGER,
                opens_at         TEXT,
                closes_at        TEXT,
                reminder_plan    TEXT,
                updated_at       TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        "0010_newsletters",
        (
            """CREATE TABLE delivery_quiet_hours (
                user_id       INTEGER PRIMARY KEY,
                starts_minute INTEGER NOT NULL CHECK (starts_minute BETWEEN 0 AND 1439),
                ends_minute   INTEGER NOT NULL CHECK (ends_minute BETWEEN 0 AND 1439),
                updated_at    TEXT NOT NULL
            )""",
            """CREATE TABLE newsletter_drafts (
                user_id    INTEGER NOT NULL,
                kind       TEXT NOT NULL CHECK (kind IN ('newsletter', 'reminder')),
                body       TEXT NOT NULL DEFAULT '',
                segment    TEXT NOT NULL DEFAULT 'all',
                urgent     INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
                updated_at TEXT NOT NULL,
                PRIMARY KEY (user_id, kind)
            )""",
            """CREATE TABLE newsletter_sends (
                send_id     INTEGER PRIMARY KEY REFERENCES sends (id) ON DELETE CASCADE,
                kind        TEXT NOT NULL CHECK (kind IN ('newsletter', 'reminder')),
                author_id   INTEGER,
                segment     TEXT NOT NULL,
                created_at  TEXT NOT NULL,
                reported_at TEXT
            )""",
        ),
    ),
    Migration(
        "0010_visio_feedback",
        (
            "ALTER TABLE visio_sessions ADD COLUMN feedback_campaign INTEGER",
            "ALTER TABLE visio_rsvps DROP COLUMN comment",
            "ALTER TABLE visio_rsvps DROP COLUMN rating",
        ),
    ),
    Migration(
        "0011_send_attachments",
        ("ALTER TABLE sends ADD COLUMN attachments TEXT NOT NULL DEFAULT '{}'",),
    ),
    Migration(
        "0012_audit_target",
        (
            "ALTER TABLE audit_log ADD COLUMN target_id INTEGER",
            "CREATE INDEX audit_log_target ON audit_log (target_id)",
            "CREATE INDEX audit_log_user ON audit_log (user_id)",
            # Best effort: move the member ids written inside older rows to target_id.
            """UPDATE audit_log SET
                target_id = CAST(substr(action, 6, instr(substr(action, 6), ':') - 1) AS INTEGER),
                detail = substr(action, 6 + instr(substr(action, 6), ':')),
                action = 'role_change'
            WHERE action GLOB 'role:[0-9]*:*'""",
            """UPDATE audit_log SET
                target_id = CAST(substr(detail, 1, instr(detail, ':') - 1) AS INTEGER),
                detail = substr(detail, instr(detail, ':') + 1)
            WHERE action = 'role_changed' AND detail GLOB '[0-9]*:*'""",
            """UPDATE audit_log SET
                target_id = CAST(substr(detail, instr(detail, ' member:') + 8) AS INTEGER),
                detail = substr(detail, 1, instr(detail, ' member:') - 1)
            WHERE action = 'codev_removed' AND detail GLOB '* member:[0-9]*'""",
        ),
    ),
    Migration(
        "0013_retention",
        (
            # A send whose delivery rows were purged keeps its counts by state (JSON).
            "ALTER TABLE sends ADD COLUMN delivery_totals TEXT",
            # When a conversation state last changed (NULL: before this step).
            "ALTER TABLE conversation_states ADD COLUMN updated_at TEXT",
            """CREATE TABLE retention_runs (
                id      INTEGER PRIMARY KEY,
                ran_at  TEXT NOT NULL,
                trigger TEXT NOT NULL CHECK (trigger IN ('daily', 'command')),
                months  INTEGER NOT NULL,
                cutoff  TEXT NOT NULL,
                counts  TEXT NOT NULL
            )""",
            "CREATE INDEX retention_runs_at ON retention_runs (ran_at)",
            "CREATE INDEX consent_refusals_at ON consent_refusals (refused_at)",
        ),
    ),
    Migration(
        "0014_erasure_sends",
        (
            # Sends still going out when a person they quote was erased: emptied once over
            # (bot/storage/authored_sends.py; '—' is its WITHDRAWN_PART).
            """CREATE TABLE sends_to_empty (
                send_id INTEGER PRIMARY KEY REFERENCES sends (id) ON DELETE CASCADE
            )""",
            """CREATE TRIGGER sends_emptied_when_over AFTER UPDATE OF status ON sends
            WHEN NEW.status IN ('done', 'cancelled')
                AND EXISTS (SELECT 1 FROM sends_to_empty WHERE send_id = NEW.id)
            BEGIN
                UPDATE sends SET
                    parts = (SELECT json_group_object(key, json_array('—'))
                             FROM json_each(NEW.parts)),
                    keyboards = '{}', attachments = '{}', status = 'cancelled'
                WHERE id = NEW.id;
                DELETE FROM sends_to_empty WHERE send_id = NEW.id;
            END""",
        ),
    ),
    Migration(
        "0015_directory",
        (
            # A member's own card (user_id set, published with consent) or an imported
            # structure card (user_id NULL, keyed by structure + territory: match_key).
            """CREATE TABLE directory_cards (
                id            INTEGER PRIMARY KEY,
                user_id       INTEGER UNIQUE,
                source        TEXT NOT NULL CHECK (source IN ('member', 'import')),
                match_key     TEXT NOT NULL,
                territory_key TEXT NOT NULL,
                name          TEXT NOT NULL DEFAULT '',
                structure     TEXT NOT NULL DEFAULT '',
                territory     TEXT NOT NULL DEFAULT '',
                role          TEXT NOT NULL DEFAULT '',
                skills        TEXT NOT NULL DEFAULT '',
                contact       TEXT NOT NULL DEFAULT '',
                telegram_link INTEGER NOT NULL DEFAULT 0,
                consented_at  TEXT,
                created_at    TEXT NOT NULL,
                updated_at    TEXT NOT NULL,
                CHECK ((source = 'member') = (user_id IS NOT NULL))
            )""",
            """CREATE UNIQUE INDEX directory_cards_import_key ON directory_cards (match_key)
            WHERE source = 'import'""",
            "CREATE INDEX directory_cards_territory ON directory_cards (territory_key, territory)",
            """CREATE VIRTUAL TABLE directory_fts USING fts5(
                name, structure, territory, role, skills,
                content = 'directory_cards', content_rowid = 'id',
                tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
            )""",
            """CREATE TRIGGER directory_fts_insert AFTER INSERT ON directory_cards BEGIN
                INSERT INTO directory_fts (rowid, name, structure, territory, role, skills)
                VALUES (NEW.id, NEW.name, NEW.structure, NEW.territory, NEW.role, NEW.skills);
            END""",
            """CREATE TRIGGER directory_fts_delete AFTER DELETE ON directory_cards BEGIN
                INSERT INTO directory_fts
                    (directory_fts, rowid, name, structure, territory, role, skills)
                VALUES ('delete', OLD.id, OLD.name, OLD.structure, OLD.territory, OLD.role,
                        OLD.skills);
            END""",
            """CREATE TRIGGER directory_fts_update AFTER UPDATE ON directory_cards BEGIN
                INSERT INTO directory_fts
                    (directory_fts, rowid, name, structure, territory, role, skills)
                VALUES ('delete', OLD.id, OLD.name, OLD.structure, OLD.territory, OLD.role,
                        OLD.skills);
                INSERT INTO directory_fts (rowid, name, structure, territory, role, skills)
                VALUES (NEW.id, NEW.name, NEW.structure, NEW.territory, NEW.role, NEW.skills);
            END""",
            # An animator's checked import waiting for confirmation (one per animator).
            """CREATE TABLE directory_imports (
                user_id    INTEGER PRIMARY KEY,
                token      TEXT NOT NULL,
                rows       TEXT NOT NULL,
                created_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        "0016_faq",
        (
            """CREATE TABLE faq_themes (
                id       INTEGER PRIMARY KEY,
                name_fr  TEXT NOT NULL,
                name_en  TEXT NOT NULL,
                position INTEGER NOT NULL
            )""",
            """CREATE TABLE faq_entries (
                id          INTEGER PRIMARY KEY,
                theme_id    INTEGER NOT NULL REFERENCES faq_themes (id),
                position    INTEGER NOT NULL,
                question_fr TEXT,
                answer_fr   TEXT,
                question_en TEXT,
                answer_en   TEXT,
                created_at  TEXT NOT NULL,
                updated_at  TEXT NOT NULL,
                CHECK ((question_fr IS NULL) = (answer_fr IS NULL)),
                CHECK ((question_en IS NULL) = (answer_en IS NULL)),
                CHECK (question_fr IS NOT NULL OR question_en IS NOT NULL)
            )""",
            "CREATE INDEX faq_entries_theme ON faq_entries (theme_id, position)",
            # Plain text of each entry (rowid = faq_entries.id): its questions, its answers,
            # both languages; accents and case ignored.
            """CREATE VIRTUAL TABLE faq_search USING fts5(
                question, answer, tokenize = 'unicode61 remove_diacritics 2'
            )""",
            """CREATE TABLE faq_questions (
                id          INTEGER PRIMARY KEY,
                user_id     INTEGER,
                language    TEXT NOT NULL CHECK (language IN ('fr', 'en')),
                text        TEXT NOT NULL,
                asked_at    TEXT NOT NULL,
                status      TEXT NOT NULL DEFAULT 'waiting'
                            CHECK (status IN ('waiting', 'answered')),
                answered_by INTEGER,
                answer      TEXT,
                answered_at TEXT,
                entry_id    INTEGER REFERENCES faq_entries (id) ON DELETE SET NULL
            )""",
            "CREATE INDEX faq_questions_user ON faq_questions (user_id)",
            "CREATE INDEX faq_questions_status ON faq_questions (status, asked_at)",
            """CREATE TABLE faq_inputs (
                user_id    INTEGER PRIMARY KEY,
                kind       TEXT NOT NULL,
                ref        INTEGER,
                draft      TEXT,
                updated_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        "0017_stats",
        (
            # A month's published figures (already masked under k) and the send that took
            # them to the members; the token of the preview awaiting confirmation; when the
            # animators were prompted about the month.
            """CREATE TABLE stats_digests (
                month         TEXT PRIMARY KEY,
                figures       TEXT,
                preview_token TEXT,
                prompted_at   TEXT,
                published_at  TEXT,
                send_id       INTEGER
            )""",
            # The monthly preparation job: on (one row) or off (no row).
            """CREATE TABLE stats_schedule (
                id         INTEGER PRIMARY KEY CHECK (id = 1),
                enabled_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        "0018_projects",
        (
            # Strategic projects (phase 2 of the ministry toolbox), checked step by step
            # against the network's checklist (bot/checklists/). holder_id is NULL once the
            # holder is erased (the project is then withdrawn and its texts emptied).
            """CREATE TABLE projects (
                id            INTEGER PRIMARY KEY,
                holder_id     INTEGER,
                title         TEXT NOT NULL,
                problem       TEXT NOT NULL,
                audience      TEXT NOT NULL,
                needs         TEXT NOT NULL,
                step          INTEGER NOT NULL DEFAULT 0,
                status        TEXT NOT NULL DEFAULT 'draft'
                              CHECK (status IN ('draft', 'active', 'done', 'withdrawn')),
                max_contributors INTEGER,
                idea_campaign INTEGER,
                idea_theme    TEXT,
                created_at    TEXT NOT NULL,
                updated_at    TEXT NOT NULL
            )""",
            "CREATE INDEX projects_holder ON projects (holder_id)",
            "CREATE INDEX projects_status ON projects (status, step)",
            """CREATE TABLE project_answers (
                project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
                step        INTEGER NOT NULL,
                criterion   TEXT NOT NULL,
                answer      TEXT NOT NULL CHECK (answer IN ('met', 'not_yet', 'na')),
                comment     TEXT,
                answered_at TEXT NOT NULL,
                PRIMARY KEY (project_id, step, criterion)
            )""",
            """CREATE TABLE project_reviews (
                id          INTEGER PRIMARY KEY,
                project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
                step        INTEGER NOT NULL,
                reviewer_id INTEGER,
                validated   INTEGER NOT NULL,
                reviewed_at TEXT NOT NULL
            )""",
            """CREATE TABLE project_contributors (
                project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
                user_id    INTEGER NOT NULL,
                joined_at  TEXT NOT NULL,
                PRIMARY KEY (project_id, user_id)
            )""",
            "CREATE INDEX project_contributors_user ON project_contributors (user_id)",
            """CREATE TABLE project_notes (
                id          INTEGER PRIMARY KEY,
                project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
                author_id   INTEGER,
                text        TEXT NOT NULL,
                due_at      TEXT,
                remind_at   TEXT,
                reminded_at TEXT,
                created_at  TEXT NOT NULL
            )""",
            "CREATE INDEX project_notes_project ON project_notes (project_id, created_at)",
            "CREATE INDEX project_notes_remind ON project_notes (remind_at)",
            """CREATE TABLE project_inputs (
                user_id    INTEGER PRIMARY KEY,
                kind       TEXT NOT NULL,
                ref        INTEGER,
                draft      TEXT,
                updated_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        "0019_send_keys",
        (
            # An idempotency key: creating a send with a key already used returns that send
            # (a reply typed again after a crash is not sent twice). No personal data.
            "ALTER TABLE sends ADD COLUMN send_key TEXT",
            "CREATE UNIQUE INDEX sends_key ON sends (send_key) WHERE send_key IS NOT NULL",
        ),
    ),
    Migration(
        "0020_member_links",
        (
            # An account of the other messenger acting as a member (one per member), and
            # the messenger the member's messages go to. Personal data (erased with either).
            """CREATE TABLE member_links (
                account_id  INTEGER PRIMARY KEY,
                member_id   INTEGER NOT NULL UNIQUE,
                transport   TEXT NOT NULL CHECK (transport IN ('telegram', 'matrix')),
                messages_to TEXT NOT NULL CHECK (messages_to IN ('telegram', 'matrix')),
                linked_at   TEXT NOT NULL
            )""",
            # The member's pending /lier code, hashed; a new one replaces it, use deletes it.
            """CREATE TABLE link_codes (
                member_id  INTEGER PRIMARY KEY,
                code_hash  TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL
            )""",
            # Wrong codes typed by an account (5 an hour at most), purged after the hour.
            """CREATE TABLE link_wrong_tries (
                id         INTEGER PRIMARY KEY,
                account_id INTEGER NOT NULL,
                at         TEXT NOT NULL
            )""",
            "CREATE INDEX link_wrong_tries_account ON link_wrong_tries (account_id, at)",
        ),
    ),
)


async def applied_migrations(db: Database) -> list[str]:
    """Names of the steps already applied, in order."""
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    rows = await db.fetchall("SELECT name FROM schema_migrations ORDER BY rowid")
    return [row["name"] for row in rows]


async def migrate(
    db: Database, clock: Clock, steps: tuple[Migration, ...] = MIGRATIONS
) -> list[str]:
    """Apply the missing steps in order; return the names applied now."""
    done = set(await applied_migrations(db))
    applied: list[str] = []
    for step in steps:
        if step.name in done:
            continue
        async with db.transaction() as tx:
            for statement in step.statements:
                await tx.execute(statement)
            await tx.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                (step.name, to_iso(clock.now())),
            )
        applied.append(step.name)
    return applied
