/// The schema's history. Append new migrations; never edit an applied one. The MySQL family's statements
/// for each id are DecisioningMySQL's (`MySQLMigrations`): a new migration needs them there too.
///
/// SQLite tables are `STRICT`, so a value of the wrong storage class is refused by the engine too.
/// `DECIMAL(p,s)` columns are stored in SQLite as INTEGER counts of 10^-s units (cents for money),
/// dates as `YYYY-MM-DD` text, timestamps as `YYYY-MM-DD HH:MM:SS` UTC text, booleans as 0/1.
/// docs/schema.md explains every deviation from the seed.
public enum Migrations {
    public static let all: [Migration] = [
        businessTables, runTables, changeCounters, serviceTables, predictionIndex, projectDescriptions,
    ]

    static let businessTables = Migration(
        id: "0001_business_tables",
        sqlite: [
            """
            CREATE TABLE projects (
                project_id TEXT NOT NULL PRIMARY KEY,
                project_name TEXT NOT NULL,
                project_type TEXT,
                start_date TEXT NOT NULL,
                end_date TEXT,
                budget_amount INTEGER,    -- DECIMAL(15,2) in cents
                actual_cost INTEGER,      -- DECIMAL(15,2) in cents
                status TEXT,
                customer_id TEXT,
                created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
            ) STRICT
            """,
            "CREATE INDEX idx_heatwave_date ON projects (start_date, status)",
            "CREATE INDEX idx_heatwave_customer ON projects (customer_id, project_type)",
            """
            CREATE TABLE financial_metrics (
                metric_id TEXT NOT NULL PRIMARY KEY,
                project_id TEXT,
                metric_type TEXT,
                metric_value INTEGER,     -- DECIMAL(15,2) in cents
                metric_date TEXT NOT NULL,
                currency_code TEXT DEFAULT 'USD',
                created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
            ) STRICT
            """,
            "CREATE INDEX idx_analytics ON financial_metrics (metric_date, metric_type, project_id)",
            """
            CREATE TABLE customer_analytics (
                customer_id TEXT NOT NULL PRIMARY KEY,
                customer_name TEXT,
                industry TEXT,
                annual_revenue INTEGER,        -- DECIMAL(15,2) in cents
                credit_rating TEXT,
                payment_terms INTEGER,
                average_payment_days INTEGER,  -- DECIMAL(5,1) in tenths of a day
                total_projects INTEGER DEFAULT 0,
                total_revenue INTEGER DEFAULT 0,  -- DECIMAL(15,2) in cents
                risk_score INTEGER             -- DECIMAL(3,2) in hundredths
            ) STRICT
            """,
            "CREATE INDEX idx_revenue ON customer_analytics (annual_revenue, risk_score)",
            "CREATE INDEX idx_industry ON customer_analytics (industry, credit_rating)",
            """
            CREATE TABLE business_events (
                event_id TEXT NOT NULL PRIMARY KEY,
                event_type TEXT,
                entity_type TEXT,
                entity_id TEXT,
                event_data TEXT,               -- JSON text
                event_timestamp TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
                processed INTEGER DEFAULT 0
            ) STRICT
            """,
            "CREATE INDEX idx_events ON business_events (event_timestamp, event_type, processed)",
            "CREATE INDEX idx_entity ON business_events (entity_type, entity_id)",
            """
            CREATE TABLE ml_models (
                model_id TEXT NOT NULL PRIMARY KEY,
                model_name TEXT,
                model_type TEXT,
                training_data_query TEXT,
                target_column TEXT,
                feature_columns TEXT,          -- JSON text
                model_accuracy INTEGER,        -- DECIMAL(5,4) in ten-thousandths
                created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
                last_trained TEXT,
                status TEXT DEFAULT 'ACTIVE',
                model_payload TEXT             -- JSON text: parameters or trees
            ) STRICT
            """,
            """
            CREATE TABLE model_predictions (
                prediction_id TEXT NOT NULL PRIMARY KEY,
                model_id TEXT REFERENCES ml_models (model_id),
                entity_id TEXT,
                prediction_value INTEGER,      -- DECIMAL(15,4) in ten-thousandths
                confidence_score INTEGER,      -- DECIMAL(5,4) in ten-thousandths
                prediction_date TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
            ) STRICT
            """,
            "CREATE INDEX idx_predictions ON model_predictions (prediction_date, model_id, entity_id)",
            """
            CREATE TABLE business_embeddings (
                embedding_id TEXT NOT NULL PRIMARY KEY,
                entity_type TEXT,
                entity_id TEXT,
                embedding_vector BLOB,         -- little-endian float32 values
                embedding_model TEXT,
                created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
            ) STRICT
            """,
            "CREATE INDEX idx_embeddings ON business_embeddings (entity_type, entity_id)",
        ])

    static let runTables = Migration(
        id: "0002_run_tables",
        sqlite: [
            """
            CREATE TABLE analysis_runs (
                run_id TEXT NOT NULL PRIMARY KEY,
                analysis TEXT NOT NULL,
                as_of TEXT NOT NULL,
                status TEXT NOT NULL,
                seed INTEGER,
                config_digest TEXT,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                results TEXT
            ) STRICT
            """,
            """
            CREATE TABLE agent_results (
                run_id TEXT NOT NULL REFERENCES analysis_runs (run_id) ON DELETE CASCADE,
                agent TEXT NOT NULL,
                status TEXT NOT NULL,
                confidence REAL,
                started_at TEXT,
                duration_ms REAL,
                error TEXT,
                result TEXT,
                PRIMARY KEY (run_id, agent)
            ) STRICT
            """,
            """
            CREATE TABLE decisions (
                decision_id TEXT NOT NULL PRIMARY KEY,
                run_id TEXT NOT NULL REFERENCES analysis_runs (run_id) ON DELETE CASCADE,
                decision_rank INTEGER NOT NULL,
                title TEXT NOT NULL,
                category TEXT,
                rationale TEXT,
                expected_impact INTEGER,       -- DECIMAL(15,2) in cents
                urgency TEXT,
                risk TEXT,
                confidence REAL,
                evidence TEXT
            ) STRICT
            """,
            "CREATE INDEX idx_decisions_run ON decisions (run_id, decision_rank)",
            """
            CREATE TABLE alerts (
                alert_id TEXT NOT NULL PRIMARY KEY,
                run_id TEXT NOT NULL REFERENCES analysis_runs (run_id) ON DELETE CASCADE,
                severity TEXT NOT NULL,
                rule TEXT NOT NULL,
                message TEXT NOT NULL,
                entity_type TEXT,
                entity_id TEXT,
                observed REAL,
                threshold REAL
            ) STRICT
            """,
            "CREATE INDEX idx_alerts_run ON alerts (run_id, severity)",
        ])

    /// The tables whose updates and deletes migration 0003 counts: the business tables the
    /// analyses read (fixed here: an applied migration never changes).
    static let countedTables = [
        "projects", "financial_metrics", "customer_analytics", "business_events", "ml_models", "model_predictions",
        "business_embeddings",
    ]

    /// Durable change marks for column snapshots (the Warehouse's `FILE.sqlite.columns/`): a random
    /// identity token of this database, and per counted table the number of rows ever updated or
    /// deleted, bumped by AFTER UPDATE / AFTER DELETE triggers. Inserts fire nothing (a reader finds
    /// them after its rowid cursor), so ingest is not slowed. MySQL applies no statements for it.
    static let changeCounters = Migration(
        id: "0003_change_counters",
        sqlite: [
            "CREATE TABLE store_identity (token TEXT NOT NULL) STRICT",
            "INSERT INTO store_identity (token) VALUES (lower(hex(randomblob(16))))",
            "CREATE TABLE table_changes (table_name TEXT NOT NULL PRIMARY KEY, rewrites INTEGER NOT NULL DEFAULT 0) STRICT",
        ]
            + countedTables.flatMap { table in
                [
                    "INSERT INTO table_changes (table_name, rewrites) VALUES ('\(table)', 0)",
                    """
                    CREATE TRIGGER \(table)_counts_updates AFTER UPDATE ON \(table) BEGIN
                        UPDATE table_changes SET rewrites = rewrites + 1 WHERE table_name = '\(table)';
                    END
                    """,
                    """
                    CREATE TRIGGER \(table)_counts_deletes AFTER DELETE ON \(table) BEGIN
                        UPDATE table_changes SET rewrites = rewrites + 1 WHERE table_name = '\(table)';
                    END
                    """,
                ]
            })

    /// The service's tables (`Catalog.serviceTables`): run events, API keys, leases, schedule state,
    /// the alerts' lifecycle and the webhook outbox. No foreign keys: a run's row is replaced when it
    /// ends, and its events must stay.
    static let serviceTables = Migration(
        id: "0004_service_tables",
        sqlite: [
            """
            CREATE TABLE run_events (
                run_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                kind TEXT NOT NULL,
                agent TEXT,
                happened_at TEXT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (run_id, seq)
            ) STRICT
            """,
            """
            CREATE TABLE api_keys (
                name TEXT NOT NULL PRIMARY KEY,
                key_hash TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_used_at TEXT,
                revoked_at TEXT
            ) STRICT
            """,
            """
            CREATE TABLE service_leases (
                name TEXT NOT NULL PRIMARY KEY,
                holder TEXT NOT NULL,
                run_id TEXT,
                expires_at TEXT NOT NULL
            ) STRICT
            """,
            """
            CREATE TABLE schedule_state (
                schedule TEXT NOT NULL PRIMARY KEY,
                last_occurrence TEXT NOT NULL,
                last_run_id TEXT
            ) STRICT
            """,
            """
            CREATE TABLE alert_states (
                fingerprint TEXT NOT NULL PRIMARY KEY,
                rule TEXT NOT NULL,
                entity_type TEXT,
                entity_id TEXT,
                severity TEXT NOT NULL,
                state TEXT NOT NULL,
                message TEXT NOT NULL,
                observed REAL,
                threshold REAL,
                first_run_id TEXT NOT NULL,
                last_run_id TEXT NOT NULL,
                opened_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL,
                acknowledged_at TEXT,
                resolved_at TEXT,
                resolution TEXT,
                occurrences INTEGER NOT NULL,
                notified_severity TEXT,
                notified_at TEXT
            ) STRICT
            """,
            "CREATE INDEX idx_alert_states_state ON alert_states (state, severity)",
            """
            CREATE TABLE webhook_deliveries (
                delivery_id TEXT NOT NULL PRIMARY KEY,
                webhook TEXT NOT NULL,
                event_type TEXT NOT NULL,
                payload TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at TEXT NOT NULL,
                last_status INTEGER,
                last_error TEXT,
                created_at TEXT NOT NULL,
                delivered_at TEXT
            ) STRICT
            """,
            "CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at)",
        ])

    /// The seed's `idx_predictions (prediction_date, model_id, entity_id)` put each run's predictions
    /// between every earlier run's of the same day (all of a run's rows have its as-of date), so a
    /// run rewrote nearly every leaf page of that region: with 150 runs on one as-of date, storing
    /// 64,000 predictions took 2 s, and reading a run's or a project's latest prediction scanned
    /// millions of rows (2.2 s and 7.7 s). Ordered by model, date and prediction id (which begins
    /// with the run's id), a run's rows go in one place, and both reads are index seeks.
    public static let predictionIndexColumns = ["model_id", "prediction_date", "prediction_id"]

    static let predictionIndex = Migration(
        id: "0005_prediction_index",
        sqlite: [
            "DROP INDEX idx_predictions",
            "CREATE INDEX idx_predictions ON model_predictions (\(predictionIndexColumns.joined(separator: ", ")))",
        ])

    /// What a project is for, in the words of whoever set it up: the seed's `projects` has no such
    /// column, but real exports usually do, and it is where the scope is written (`decisioning search
    /// --entity projects` ranks projects by it). Nullable, so files without it ingest as before.
    static let projectDescriptions = Migration(
        id: "0006_project_descriptions",
        sqlite: ["ALTER TABLE projects ADD COLUMN description TEXT"])
}
