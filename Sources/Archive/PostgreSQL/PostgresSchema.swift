/// The shared archive's tables in PostgreSQL, as versioned migrations: the same tables as
/// ``ArchiveSchema`` (SQLite) at the same version numbers, written for PostgreSQL.
///
/// As there, a migration is never edited once shipped. Each runs in its own transaction
/// under the archive's write lock, so stations that start at once migrate once.
/// Ids are text in lower case with the "C" collation (byte order, as SQLite compares
/// them, and a plain B-tree serves a prefix search); times are `timestamptz`; JSON is
/// kept as text, exactly as hashed and signed.
enum PostgresSchema {
    static let currentVersion = 12

    /// Version 8 at once: SQLite's eight steps brought a growing archive along; a
    /// PostgreSQL archive starts at 8, and later versions are added as steps after it.
    static let migrations: [(version: Int, sql: String)] = [(8, version8), (9, version9), (10, version10), (11, version11), (12, version12)]

    /// The stations' journal entries the archive has applied: an entry sent again (its
    /// answer lost on the way back) is recognised and not applied twice.
    static let version9 = """
        CREATE TABLE journal_applied (
            entry_id text COLLATE "C" PRIMARY KEY,
            station text NOT NULL,
            recorded_at timestamptz NOT NULL,
            applied_at timestamptz NOT NULL
        );
        """

    /// A site's stills by side with no side as `''`: a search walks each tagged site newest
    /// first, and `side IS NULL` gives a B-tree no order to walk (PostgreSQL sorted the
    /// site's every still), while one expression serves sided and unsided sites alike.
    /// `side` itself rides along so the filters read the index alone (PostgreSQL reads an
    /// expression index only when every column the query names is in it). A session's
    /// stills carry their date and order: a text search ranks the stills of the sessions
    /// whose notes match from the index alone, and reads the rows of the 50 it keeps.
    static let version10 = """
        DROP INDEX still_by_site;
        CREATE INDEX still_by_site ON still(site, COALESCE(side, ''), taken_at, seq, injectates, annotated) INCLUDE (side);
        DROP INDEX still_by_session;
        CREATE INDEX still_by_session ON still(session_id, time) INCLUDE (taken_at, seq);
        """

    /// SQLite's v9: the RIS order a session carries out (issue 15).
    static let version11 = """
        CREATE TABLE session_order (
            session_id text COLLATE "C" PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
            accession_number text NOT NULL,
            detail text NOT NULL
        );
        CREATE INDEX session_order_by_accession ON session_order(accession_number);
        """

    /// SQLite's v10: each sending of a session to the PACS (issue 15).
    static let version12 = """
        CREATE TABLE pacs_delivery (
            id text COLLATE "C" PRIMARY KEY,
            session_id text COLLATE "C" NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            started_at timestamptz NOT NULL,
            detail text NOT NULL
        );
        CREATE INDEX pacs_delivery_by_session ON pacs_delivery(session_id, started_at);
        """

    /// A migration's statements one by one (a prepared statement holds one): each ends
    /// with `;` at the end of its line.
    static func statements(_ sql: String) -> [String] {
        sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
            .filter { !$0.isEmpty }
    }

    static let version8 = """
        CREATE TABLE archive_schema (
            id int PRIMARY KEY CHECK (id = 1),
            version int NOT NULL
        );
        INSERT INTO archive_schema (id, version) VALUES (1, 0);

        CREATE TABLE patient (
            id text COLLATE "C" PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
            family_name text NOT NULL,
            given_name text NOT NULL,
            birth_date text NOT NULL CHECK (birth_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
            sex text NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
            created_at timestamptz NOT NULL
        );

        CREATE TABLE session (
            id text COLLATE "C" PRIMARY KEY,
            patient_id text COLLATE "C" NOT NULL REFERENCES patient(id) ON DELETE RESTRICT,
            started_at timestamptz NOT NULL,
            ended_at timestamptz,
            physician text NOT NULL,
            tech text NOT NULL,
            region text CHECK (region IS NULL OR region IN ('cervical', 'thoracic', 'lumbar', 'sacral', 'coccygeal')),
            indication text NOT NULL,
            status text NOT NULL CHECK (status IN ('recording', 'completed', 'interrupted', 'failed')),
            status_reason text,
            treatment_number bigint NOT NULL CHECK (treatment_number >= 1),
            planned_treatments bigint NOT NULL CHECK (planned_treatments >= treatment_number),
            days_since_previous bigint CHECK (days_since_previous IS NULL OR days_since_previous >= 0),
            pain_before bigint CHECK (pain_before IS NULL OR pain_before BETWEEN 0 AND 10),
            pain_after bigint CHECK (pain_after IS NULL OR pain_after BETWEEN 0 AND 10),
            notes text NOT NULL,
            recording text,
            -- The whole session as Records encodes it; the columns above are what queries filter on.
            document text NOT NULL CHECK (document::jsonb IS NOT NULL),
            version bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
            changed_by text,
            changed_at timestamptz,
            continues text COLLATE "C" REFERENCES session(id) ON DELETE RESTRICT
        );
        CREATE INDEX session_by_patient ON session(patient_id, started_at);
        CREATE INDEX session_by_start ON session(started_at);
        CREATE INDEX session_by_status ON session(status) WHERE status = 'recording';
        CREATE UNIQUE INDEX session_by_continues ON session(continues) WHERE continues IS NOT NULL;
        CREATE INDEX session_by_tech ON session(tech, started_at);
        CREATE INDEX session_by_physician ON session(physician, started_at);

        CREATE TABLE injection (
            session_id text COLLATE "C" NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            ordinal bigint NOT NULL,
            site text NOT NULL,
            span_low bigint NOT NULL,
            span_high bigint NOT NULL CHECK (span_high >= span_low),
            side text,
            structure text,
            injectate text NOT NULL,
            volume_ml double precision NOT NULL CHECK (volume_ml > 0),
            PRIMARY KEY (session_id, ordinal)
        );
        CREATE INDEX injection_by_injectate ON injection(injectate, session_id);

        CREATE TABLE tag_event (
            id bigserial PRIMARY KEY,
            session_id text COLLATE "C" NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            time double precision NOT NULL CHECK (time >= 0),
            site text NOT NULL,
            span_low bigint NOT NULL,
            span_high bigint NOT NULL CHECK (span_high >= span_low),
            side text,
            structure text,
            author text NOT NULL,
            source text NOT NULL
        );
        CREATE INDEX tag_event_by_session ON tag_event(session_id, time);

        CREATE TABLE still (
            -- The order stills were stored in: ties of taken_at rank the later-stored first.
            seq bigserial UNIQUE NOT NULL,
            id text COLLATE "C" PRIMARY KEY,
            session_id text COLLATE "C" NOT NULL REFERENCES session(id) ON DELETE RESTRICT,
            patient_id text COLLATE "C" NOT NULL,
            taken_at timestamptz NOT NULL,
            time double precision NOT NULL CHECK (time >= 0),
            source_frame bigint,
            site text COLLATE "C",
            span_low bigint,
            span_high bigint CHECK (span_high >= span_low),
            side text COLLATE "C",
            structure text,
            reason text NOT NULL CHECK (reason IN ('snap', 'freeze', 'import')),
            file_hash text NOT NULL CHECK (length(file_hash) = 64),
            byte_size bigint NOT NULL CHECK (byte_size > 0),
            width bigint NOT NULL CHECK (width > 0),
            height bigint NOT NULL CHECK (height > 0),
            colour text NOT NULL CHECK (colour IN ('gray', 'rgb')),
            annotated boolean NOT NULL DEFAULT false,
            created_at timestamptz NOT NULL,
            -- The kinds of injectate given in the session, as bits (prolotherapy 1, PRP 2, BMC 4, other 8).
            injectates bigint NOT NULL DEFAULT 0
        );
        -- A site's stills newest first, with the filters search checks on every one.
        CREATE INDEX still_by_site ON still(site, side, taken_at, seq, injectates, annotated);
        -- Vertebral spans as a range: "overlaps L4-L5" is a GiST index search.
        CREATE INDEX still_by_span ON still USING gist (int8range(span_low, span_high, '[]')) WHERE span_low IS NOT NULL;
        CREATE INDEX still_by_patient ON still(patient_id, taken_at);
        CREATE INDEX still_by_session ON still(session_id, time);
        -- Newest first with what the filters read, so a walk of many sites (a region) reads the index alone.
        CREATE INDEX still_by_date ON still(taken_at, seq) INCLUDE (site, side, structure, injectates, annotated);
        CREATE INDEX still_by_structure ON still(structure, taken_at);
        CREATE INDEX still_by_hash ON still(file_hash);
        CREATE INDEX still_by_created ON still(created_at);

        -- Every distinct tagged site (with its side) any still carries: a few hundred rows,
        -- ranked by Anatomy before the stills of each matching site are read.
        CREATE TABLE still_site (
            site text COLLATE "C" NOT NULL,
            side text COLLATE "C" NOT NULL,   -- '' when the tag had no side
            span_low bigint NOT NULL,
            span_high bigint NOT NULL,
            PRIMARY KEY (site, side)
        );
        CREATE INDEX still_site_by_span ON still_site USING gist (int8range(span_low, span_high, '[]'));

        CREATE TABLE needle_annotation (
            still_id text COLLATE "C" NOT NULL REFERENCES still(id) ON DELETE CASCADE,
            revision bigint NOT NULL CHECK (revision >= 1),
            author text NOT NULL,
            created_at timestamptz NOT NULL,
            document text NOT NULL CHECK (document::jsonb IS NOT NULL),
            PRIMARY KEY (still_id, revision)
        );

        -- Free text of sessions (indication, notes, complications), as lexemes NeedleLog
        -- folds itself (lower case, no diacritics, split at anything but letters and
        -- digits), so both stores find the same words.
        CREATE TABLE session_text (
            session_id text COLLATE "C" PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
            words tsvector NOT NULL
        );
        CREATE INDEX session_text_words ON session_text USING gin (words);

        CREATE TABLE imported_file (
            content_hash text PRIMARY KEY CHECK (length(content_hash) = 64),
            session_id text COLLATE "C" NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            file_name text NOT NULL,
            imported_at timestamptz NOT NULL
        );
        CREATE INDEX imported_file_by_session ON imported_file(session_id);

        CREATE TABLE account (
            name text COLLATE "C" PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
            role text NOT NULL CHECK (role IN ('tech', 'physician', 'admin')),
            password_hash text NOT NULL,
            disabled boolean NOT NULL DEFAULT false,
            created_at timestamptz NOT NULL,
            password_changed_at timestamptz NOT NULL,
            family_name text CHECK (length(family_name) BETWEEN 1 AND 64),
            given_name text CHECK (length(given_name) BETWEEN 1 AND 64),
            credentials text NOT NULL DEFAULT '' CHECK (length(credentials) <= 64)
        );

        -- The audit trail, chained by SHA-256 as in SQLite. Appends take the archive's
        -- write lock, so stations writing at once still make one chain.
        CREATE TABLE audit_event (
            seq bigint PRIMARY KEY,
            at text NOT NULL,
            actor text NOT NULL,
            action text NOT NULL,
            target text NOT NULL,
            patient_id text,
            outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
            detail text NOT NULL,
            previous_hash text NOT NULL CHECK (length(previous_hash) = 64),
            hash text NOT NULL CHECK (length(hash) = 64)
        );
        CREATE INDEX audit_by_patient ON audit_event(patient_id, seq) WHERE patient_id IS NOT NULL;
        CREATE INDEX audit_by_target ON audit_event(target) WHERE action = 'sign';
        CREATE TABLE audit_head (
            id int PRIMARY KEY CHECK (id = 1),
            seq bigint NOT NULL,
            hash text NOT NULL
        );
        CREATE FUNCTION needlelog_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$;
        CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
            FOR EACH ROW EXECUTE FUNCTION needlelog_refuse('the audit trail is append-only');

        CREATE TABLE still_tag_revision (
            still_id text COLLATE "C" NOT NULL REFERENCES still(id) ON DELETE CASCADE,
            revision bigint NOT NULL CHECK (revision >= 1),
            site text,
            side text,
            structure text,
            author text NOT NULL,
            created_at timestamptz NOT NULL,
            note text NOT NULL,
            PRIMARY KEY (still_id, revision)
        );

        CREATE TABLE session_scale (
            session_id text COLLATE "C" PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
            millimetres_per_pixel double precision NOT NULL CHECK (millimetres_per_pixel > 0 AND millimetres_per_pixel <= 10),
            author text NOT NULL,
            created_at timestamptz NOT NULL
        );

        CREATE TABLE session_signature (
            session_id text COLLATE "C" PRIMARY KEY REFERENCES session(id) ON DELETE RESTRICT,
            signed_by text NOT NULL,
            signed_at timestamptz NOT NULL,
            record text NOT NULL CHECK (record::jsonb IS NOT NULL),
            record_hash text NOT NULL CHECK (length(record_hash) = 64)
        );
        CREATE TRIGGER session_signature_no_change BEFORE UPDATE OR DELETE ON session_signature
            FOR EACH ROW EXECUTE FUNCTION needlelog_refuse('a signature is never changed or removed: a change after signing is an addendum');
        CREATE TABLE session_addendum (
            session_id text COLLATE "C" NOT NULL REFERENCES session_signature(session_id) ON DELETE RESTRICT,
            number bigint NOT NULL CHECK (number >= 1),
            author text NOT NULL,
            created_at timestamptz NOT NULL,
            reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
            changes text NOT NULL CHECK (changes::jsonb IS NOT NULL),
            PRIMARY KEY (session_id, number)
        );
        CREATE TRIGGER session_addendum_no_change BEFORE UPDATE OR DELETE ON session_addendum
            FOR EACH ROW EXECUTE FUNCTION needlelog_refuse('an addendum is never changed or removed: add another');

        CREATE TABLE needle_suggestion (
            still_id text COLLATE "C" PRIMARY KEY REFERENCES still(id) ON DELETE CASCADE,
            detector text NOT NULL,
            computed_at timestamptz NOT NULL,
            suggestion text CHECK (suggestion IS NULL OR suggestion::jsonb IS NOT NULL)
        );
        """
}
