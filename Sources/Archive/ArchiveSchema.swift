import GRDB

/// The archive's tables, as versioned migrations.
///
/// A migration is never edited once it has shipped: a change is a new migration.
/// Migrations name tables with strings, not with application types, so later code
/// changes cannot alter what an old migration does. Each one records its number in
/// `PRAGMA user_version`, which lets an older NeedleLog refuse a newer archive.
enum ArchiveSchema {
    /// The highest schema version this build writes and understands.
    static let currentVersion = 10

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: patients, sessions, tags, stills, annotations") { db in
            try createVersion1(db)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v2: imported files, injectates on stills") { db in
            try db.execute(sql: """
                -- One row per imported clip, by the SHA-256 of its bytes, so the same file
                -- is not imported twice by mistake.
                CREATE TABLE imported_file (
                    content_hash TEXT PRIMARY KEY NOT NULL CHECK (length(content_hash) = 64),
                    session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                    file_name TEXT NOT NULL,
                    imported_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX imported_file_by_session ON imported_file(session_id);

                -- The kinds of injectate given in a still's session, as bits (prolotherapy 1,
                -- PRP 2, BMC 4, other 8), so "--injectate prp" filters without a subquery.
                ALTER TABLE still ADD COLUMN injectates INTEGER NOT NULL DEFAULT 0;
                UPDATE still SET injectates = (
                    SELECT COALESCE(SUM(DISTINCT CASE injectate WHEN 'prolotherapy' THEN 1 WHEN 'prp' THEN 2
                                                                WHEN 'bmc' THEN 4 ELSE 8 END), 0)
                    FROM injection WHERE injection.session_id = still.session_id);
                PRAGMA user_version = 2;
                """)
        }
        migrator.registerMigration("v3: accounts, audit trail, tag revisions, session scale") { db in
            try createVersion3(db)
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        migrator.registerMigration("v4: a version on each session record") { db in
            try db.execute(sql: """
                -- Every change to a session's record counts up its version, so an editor whose
                -- copy is older is refused rather than writing over what came in between;
                -- who changed it last, and when, is what the refusal names.
                ALTER TABLE session ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
                ALTER TABLE session ADD COLUMN changed_by TEXT;
                ALTER TABLE session ADD COLUMN changed_at TEXT;
                PRAGMA user_version = 4;
                """)
        }
        migrator.registerMigration("v5: a session continues one that was cut short; sessions by tech") { db in
            try db.execute(sql: """
                -- A procedure cut short (a crash, a restart, a lost source) goes on as a new
                -- session that names the one before it: each part keeps its own recording and
                -- stills. A part is continued at most once, so the parts form one line.
                ALTER TABLE session ADD COLUMN continues TEXT REFERENCES session(id) ON DELETE RESTRICT;
                CREATE UNIQUE INDEX session_by_continues ON session(continues) WHERE continues IS NOT NULL;
                -- A tech's lists and searches are their own sessions: a query, not a filter afterwards.
                CREATE INDEX session_by_tech ON session(tech, started_at);
                -- A site's stills newest first, with the filters search checks on every one
                -- (injectate, annotated) in the index itself: "L4-L5 with PRP" walks the index
                -- alone instead of reading each still's row to find the one in seven it wants.
                DROP INDEX still_by_site;
                CREATE INDEX still_by_site ON still(site, side, taken_at, injectates, annotated);
                PRAGMA user_version = 5;
                """)
        }
        migrator.registerMigration("v6: accounts are people") { db in
            try db.execute(sql: """
                -- Records, pages and DICOM name staff as people (Family^Given), not by user
                -- name. Accounts made before this have none until an admin gives them one.
                ALTER TABLE account ADD COLUMN family_name TEXT CHECK (length(family_name) BETWEEN 1 AND 64);
                ALTER TABLE account ADD COLUMN given_name TEXT CHECK (length(given_name) BETWEEN 1 AND 64);
                ALTER TABLE account ADD COLUMN credentials TEXT NOT NULL DEFAULT '' CHECK (length(credentials) <= 64);
                PRAGMA user_version = 6;
                """)
        }
        migrator.registerMigration("v7: signatures and addenda") { db in
            try db.execute(sql: """
                -- The physician's signature: the record as signed (JSON, as hashed), the
                -- SHA-256 the audit trail carries, who and when. Never changed or removed:
                -- a change after signing is an addendum.
                CREATE TABLE session_signature (
                    session_id TEXT PRIMARY KEY NOT NULL REFERENCES session(id) ON DELETE RESTRICT,
                    signed_by TEXT NOT NULL,
                    signed_at TEXT NOT NULL,
                    record TEXT NOT NULL CHECK (json_valid(record)),
                    record_hash TEXT NOT NULL CHECK (length(record_hash) = 64)
                ) STRICT;
                CREATE TRIGGER session_signature_no_update BEFORE UPDATE ON session_signature
                    BEGIN SELECT RAISE(ABORT, 'a signature is never changed: a change after signing is an addendum'); END;
                CREATE TRIGGER session_signature_no_delete BEFORE DELETE ON session_signature
                    BEGIN SELECT RAISE(ABORT, 'a signature is never removed'); END;
                -- Each change to a signed record, in order: who, when, why, what changed (JSON).
                CREATE TABLE session_addendum (
                    session_id TEXT NOT NULL REFERENCES session_signature(session_id) ON DELETE RESTRICT,
                    number INTEGER NOT NULL CHECK (number >= 1),
                    author TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
                    changes TEXT NOT NULL CHECK (json_valid(changes)),
                    PRIMARY KEY (session_id, number)
                ) STRICT;
                CREATE TRIGGER session_addendum_no_update BEFORE UPDATE ON session_addendum
                    BEGIN SELECT RAISE(ABORT, 'an addendum is never changed: add another'); END;
                CREATE TRIGGER session_addendum_no_delete BEFORE DELETE ON session_addendum
                    BEGIN SELECT RAISE(ABORT, 'an addendum is never removed'); END;
                -- A physician's "to sign" list: their ended sessions without a signature.
                CREATE INDEX session_by_physician ON session(physician, started_at);
                PRAGMA user_version = 7;
                """)
        }
        migrator.registerMigration("v8: needle suggestions") { db in
            try db.execute(sql: """
                -- Where the needle detector found the needle on a still (the suggestion as
                -- JSON), or that it found none (NULL): computed when the still is stored,
                -- never a revision of the needle by itself.
                CREATE TABLE needle_suggestion (
                    still_id TEXT PRIMARY KEY NOT NULL REFERENCES still(id) ON DELETE CASCADE,
                    detector TEXT NOT NULL,
                    computed_at TEXT NOT NULL,
                    suggestion TEXT CHECK (suggestion IS NULL OR json_valid(suggestion))
                ) STRICT;
                -- The stills stored lately, which the daemon looks at for needles.
                CREATE INDEX still_by_created ON still(created_at);
                PRAGMA user_version = 8;
                """)
        }
        migrator.registerMigration("v9: the RIS order a session carries out") { db in
            try db.execute(sql: """
                -- The worklist item a session was started from (issue 15): the accession
                -- number and study instance UID its exports carry, the requested procedure
                -- and step, as ScheduledOrder's JSON. At most one per session.
                CREATE TABLE session_order (
                    session_id TEXT PRIMARY KEY NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                    accession_number TEXT NOT NULL,
                    detail TEXT NOT NULL CHECK (json_valid(detail))
                ) STRICT;
                CREATE INDEX session_order_by_accession ON session_order(accession_number);
                PRAGMA user_version = 9;
                """)
        }
        migrator.registerMigration("v10: sendings of a session to the PACS") { db in
            try db.execute(sql: """
                -- Each sending of a session's DICOM objects to the PACS (issue 15), as
                -- PACSDelivery's JSON: destination, who, when, each object's store status
                -- and storage commitment. Rewritten as it progresses; never signed.
                CREATE TABLE pacs_delivery (
                    id TEXT PRIMARY KEY NOT NULL,
                    session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                    started_at TEXT NOT NULL,
                    detail TEXT NOT NULL CHECK (json_valid(detail))
                ) STRICT;
                CREATE INDEX pacs_delivery_by_session ON pacs_delivery(session_id, started_at);
                PRAGMA user_version = 10;
                """)
        }
        return migrator
    }

    private static func createVersion1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE patient (
                id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 64),
                family_name TEXT NOT NULL,
                given_name TEXT NOT NULL,
                birth_date TEXT NOT NULL CHECK (birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
                sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
                created_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE session (
                id TEXT PRIMARY KEY NOT NULL,
                patient_id TEXT NOT NULL REFERENCES patient(id) ON DELETE RESTRICT,
                started_at TEXT NOT NULL,
                ended_at TEXT,
                physician TEXT NOT NULL,
                tech TEXT NOT NULL,
                region TEXT CHECK (region IS NULL OR region IN ('cervical', 'thoracic', 'lumbar', 'sacral', 'coccygeal')),
                indication TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('recording', 'completed', 'interrupted', 'failed')),
                status_reason TEXT,
                treatment_number INTEGER NOT NULL CHECK (treatment_number >= 1),
                planned_treatments INTEGER NOT NULL CHECK (planned_treatments >= treatment_number),
                days_since_previous INTEGER CHECK (days_since_previous IS NULL OR days_since_previous >= 0),
                pain_before INTEGER CHECK (pain_before IS NULL OR pain_before BETWEEN 0 AND 10),
                pain_after INTEGER CHECK (pain_after IS NULL OR pain_after BETWEEN 0 AND 10),
                notes TEXT NOT NULL,
                recording TEXT,
                -- The whole session as Records encodes it (follow-up scores, complications,
                -- injections): the columns above are what queries filter on.
                document TEXT NOT NULL CHECK (json_valid(document))
            ) STRICT;
            CREATE INDEX session_by_patient ON session(patient_id, started_at);
            CREATE INDEX session_by_start ON session(started_at);
            CREATE INDEX session_by_status ON session(status) WHERE status = 'recording';

            CREATE TABLE injection (
                session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                ordinal INTEGER NOT NULL,
                site TEXT NOT NULL,
                span_low INTEGER NOT NULL,
                span_high INTEGER NOT NULL CHECK (span_high >= span_low),
                side TEXT,
                structure TEXT,
                injectate TEXT NOT NULL,
                volume_ml REAL NOT NULL CHECK (volume_ml > 0),
                PRIMARY KEY (session_id, ordinal)
            ) STRICT;
            CREATE INDEX injection_by_injectate ON injection(injectate, session_id);

            CREATE TABLE tag_event (
                id INTEGER PRIMARY KEY,
                session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                time REAL NOT NULL CHECK (time >= 0),
                site TEXT NOT NULL,
                span_low INTEGER NOT NULL,
                span_high INTEGER NOT NULL CHECK (span_high >= span_low),
                side TEXT,
                structure TEXT,
                author TEXT NOT NULL,
                source TEXT NOT NULL
            ) STRICT;
            CREATE INDEX tag_event_by_session ON tag_event(session_id, time);

            CREATE TABLE still (
                id TEXT PRIMARY KEY NOT NULL,
                session_id TEXT NOT NULL REFERENCES session(id) ON DELETE RESTRICT,
                -- Copied from the session so a search by patient or date needs no join.
                patient_id TEXT NOT NULL,
                taken_at TEXT NOT NULL,
                time REAL NOT NULL CHECK (time >= 0),
                source_frame INTEGER,
                -- The tag in force when the still was taken (NULL when none was).
                site TEXT,
                span_low INTEGER,
                span_high INTEGER CHECK (span_high >= span_low),
                side TEXT,
                structure TEXT,
                reason TEXT NOT NULL CHECK (reason IN ('snap', 'freeze', 'import')),
                file_hash TEXT NOT NULL CHECK (length(file_hash) = 64),
                byte_size INTEGER NOT NULL CHECK (byte_size > 0),
                width INTEGER NOT NULL CHECK (width > 0),
                height INTEGER NOT NULL CHECK (height > 0),
                colour TEXT NOT NULL CHECK (colour IN ('gray', 'rgb')),
                annotated INTEGER NOT NULL DEFAULT 0 CHECK (annotated IN (0, 1)),
                created_at TEXT NOT NULL
            ) STRICT;
            -- Level search walks one site group at a time, newest first.
            CREATE INDEX still_by_site ON still(site, side, taken_at);
            CREATE INDEX still_by_span ON still(span_low, span_high);
            CREATE INDEX still_by_patient ON still(patient_id, taken_at);
            CREATE INDEX still_by_session ON still(session_id, time);
            CREATE INDEX still_by_date ON still(taken_at);
            CREATE INDEX still_by_structure ON still(structure, taken_at);
            CREATE INDEX still_by_hash ON still(file_hash);

            -- Every distinct tagged site (with its side) that any still carries: a few
            -- hundred rows however large the archive, so a level search ranks sites here
            -- and then reads each matching site's stills from still_by_site.
            CREATE TABLE still_site (
                site TEXT NOT NULL,
                side TEXT NOT NULL,   -- '' when the tag had no side
                span_low INTEGER NOT NULL,
                span_high INTEGER NOT NULL,
                PRIMARY KEY (site, side)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE needle_annotation (
                still_id TEXT NOT NULL REFERENCES still(id) ON DELETE CASCADE,
                revision INTEGER NOT NULL CHECK (revision >= 1),
                author TEXT NOT NULL,
                created_at TEXT NOT NULL,
                document TEXT NOT NULL CHECK (json_valid(document)),
                PRIMARY KEY (still_id, revision)
            ) STRICT;

            -- Free text of sessions (indication, notes, complications) for full-text search.
            CREATE VIRTUAL TABLE session_text USING fts5(
                session_id UNINDEXED, indication, notes, complications,
                tokenize = 'unicode61 remove_diacritics 2'
            );
            """)
    }
}
