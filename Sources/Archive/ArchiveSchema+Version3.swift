import GRDB

extension ArchiveSchema {
    /// Accounts, the audit trail, retagging and a session's image scale.
    static func createVersion3(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE account (
                name TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
                role TEXT NOT NULL CHECK (role IN ('tech', 'physician', 'admin')),
                password_hash TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
                created_at TEXT NOT NULL,
                password_changed_at TEXT NOT NULL
            ) STRICT;

            -- The audit trail. Each row carries the SHA-256 of the previous row's hash and
            -- its own fields, so an edited or deleted row breaks the chain; the triggers
            -- refuse ordinary updates and deletes, and audit_head remembers the last row so
            -- a cut-off tail is noticed too.
            CREATE TABLE audit_event (
                seq INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                patient_id TEXT,
                outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
                detail TEXT NOT NULL,
                previous_hash TEXT NOT NULL CHECK (length(previous_hash) = 64),
                hash TEXT NOT NULL CHECK (length(hash) = 64)
            ) STRICT;
            CREATE INDEX audit_by_patient ON audit_event(patient_id, seq) WHERE patient_id IS NOT NULL;
            CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            CREATE TABLE audit_head (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                seq INTEGER NOT NULL,
                hash TEXT NOT NULL
            ) STRICT;

            -- Every tag a still has had, oldest first: revision 1 is what capture gave it.
            -- The still row keeps the latest, which search reads.
            CREATE TABLE still_tag_revision (
                still_id TEXT NOT NULL REFERENCES still(id) ON DELETE CASCADE,
                revision INTEGER NOT NULL CHECK (revision >= 1),
                site TEXT,
                side TEXT,
                structure TEXT,
                author TEXT NOT NULL,
                created_at TEXT NOT NULL,
                note TEXT NOT NULL,
                PRIMARY KEY (still_id, revision)
            ) STRICT;

            -- Millimetres per pixel of a session's images, set once by the physician from
            -- two ticks of the depth scale (or known from the clip's calibration).
            CREATE TABLE session_scale (
                session_id TEXT PRIMARY KEY NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                millimetres_per_pixel REAL NOT NULL CHECK (millimetres_per_pixel > 0 AND millimetres_per_pixel <= 10),
                author TEXT NOT NULL,
                created_at TEXT NOT NULL
            ) STRICT;
            """)
    }
}
