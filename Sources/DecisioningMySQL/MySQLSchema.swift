public import DecisioningStore

/// What the MySQL-family server supports, as far as the DDL cares.
public struct MySQLSchemaCapabilities: Sendable, Hashable {
    /// MySQL 9 / HeatWave `VECTOR` type.
    public var vectorType: Bool
    /// HeatWave RAPID secondary engine available for `SECONDARY_ENGINE = RAPID`.
    public var rapidEngine: Bool
    /// A byte-order collation without trailing-space padding, so that 'a' and 'a ' stay distinct
    /// keys as in SQLite: `utf8mb4_nopad_bin` on MariaDB, `utf8mb4_0900_bin` on MySQL 8+
    /// (`utf8mb4_bin` pads with spaces on both).
    public var binaryCollation: String

    public init(vectorType: Bool, rapidEngine: Bool, mariaDB: Bool) {
        self.vectorType = vectorType
        self.rapidEngine = rapidEngine
        self.binaryCollation = mariaDB ? "utf8mb4_nopad_bin" : "utf8mb4_0900_bin"
    }

    public static let mariaDB = MySQLSchemaCapabilities(vectorType: false, rapidEngine: false, mariaDB: true)
    public static let heatWave = MySQLSchemaCapabilities(vectorType: true, rapidEngine: true, mariaDB: false)

    /// `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=<binaryCollation>`.
    public var tableOptions: String { "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=\(binaryCollation)" }
}

/// The MySQL / MariaDB / HeatWave statements of each migration of `Migrations.all`, by its id: the
/// engine-neutral Store module keeps the ids (and SQLite's statements), the MySQL store its own DDL.
public enum MySQLMigrations {
    /// The statements of the migration `id` for a server with `capabilities`; nil for an id this module
    /// does not know (a migration added to `Migrations.all` without its MySQL statements).
    public static func statements(for id: String, _ capabilities: MySQLSchemaCapabilities) -> [String]? {
        switch id {
        case "0001_business_tables": return MySQLSchema.businessTables(capabilities)
        case "0002_run_tables": return MySQLSchema.runTables(capabilities)
        // SQLite's change counters for the Warehouse's column snapshots; a MySQL store keeps no
        // column snapshot (docs/ARCHITECTURE.md), so nothing to create.
        case "0003_change_counters": return []
        case "0004_service_tables": return MySQLSchema.serviceTables(capabilities)
        case "0005_prediction_index": return MySQLSchema.predictionIndex
        case "0006_project_descriptions": return MySQLSchema.projectDescriptions(capabilities)
        default: return nil
        }
    }
}

extension Migration {
    /// This migration's MySQL / MariaDB / HeatWave statements (`MySQLMigrations`); none for a migration
    /// the MySQL module does not know (the MySQL store refuses to apply one).
    public func mysql(_ capabilities: MySQLSchemaCapabilities) -> [String] {
        MySQLMigrations.statements(for: id, capabilities) ?? []
    }
}

/// The MySQL / MariaDB / HeatWave DDL, with the seed's defects fixed (DESIGN.md §9, docs/schema.md):
///
/// 1. `financial_metrics` is partitioned by `YEAR(metric_date)`, so its primary key includes
///    `metric_date`; `projects` (100,000 rows at scale 1) is not partitioned at all, keeping a
///    table-wide unique `project_id` and HeatWave loadability before 9.1.
/// 2. No foreign key touches a partitioned table; orphans are a data-quality finding instead.
/// 3. The last partition is `MAXVALUE`, so every current and future date has a home; split it with
///    `REORGANIZE PARTITION pmax` when a new year deserves its own partition.
/// 7. Embeddings are `VECTOR(2048)` where the server has the type, `LONGBLOB` of float32 elsewhere.
///
/// Tables use a binary collation without space padding (`utf8mb4_nopad_bin` on MariaDB,
/// `utf8mb4_0900_bin` on MySQL) so that string keys, equality and ordering match SQLite and the
/// column engine byte for byte.
public enum MySQLSchema {

    static func yearPartitions(_ column: String) -> String {
        let years = (2022...2027).map { "    PARTITION p\($0 - 1) VALUES LESS THAN (\($0))" }
        return "PARTITION BY RANGE (YEAR(\(column))) (\n" + years.joined(separator: ",\n")
            + ",\n    PARTITION pmax VALUES LESS THAN MAXVALUE\n)"
    }

    /// `SECONDARY_ENGINE=RAPID` marks a table for HeatWave; only on servers that have the engine.
    static func secondary(_ capabilities: MySQLSchemaCapabilities) -> String {
        capabilities.rapidEngine ? " SECONDARY_ENGINE=RAPID" : ""
    }

    public static func businessTables(_ capabilities: MySQLSchemaCapabilities) -> [String] {
        let rapid = secondary(capabilities)
        let tableOptions = capabilities.tableOptions
        let vector = capabilities.vectorType ? "VECTOR(2048)" : "LONGBLOB"
        return [
            """
            CREATE TABLE projects (
                project_id VARCHAR(50) NOT NULL,
                project_name VARCHAR(200) NOT NULL,
                project_type VARCHAR(50),
                start_date DATE NOT NULL,
                end_date DATE,
                budget_amount DECIMAL(15,2),
                actual_cost DECIMAL(15,2),
                status VARCHAR(20),
                customer_id VARCHAR(50),
                created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                PRIMARY KEY (project_id),
                INDEX idx_heatwave_date (start_date, status),
                INDEX idx_heatwave_customer (customer_id, project_type)
            ) \(tableOptions)\(rapid)
            """,
            """
            CREATE TABLE financial_metrics (
                metric_id VARCHAR(50) NOT NULL,
                project_id VARCHAR(50),
                metric_type VARCHAR(50),
                metric_value DECIMAL(15,2),
                metric_date DATE NOT NULL,
                currency_code VARCHAR(3) DEFAULT 'USD',
                created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                PRIMARY KEY (metric_id, metric_date),
                INDEX idx_analytics (metric_date, metric_type, project_id),
                INDEX idx_metrics_project (project_id)
            ) \(tableOptions)\(rapid)
            \(yearPartitions("metric_date"))
            """,
            """
            CREATE TABLE customer_analytics (
                customer_id VARCHAR(50) NOT NULL,
                customer_name VARCHAR(200),
                industry VARCHAR(100),
                annual_revenue DECIMAL(15,2),
                credit_rating VARCHAR(10),
                payment_terms INT,
                average_payment_days DECIMAL(5,1),
                total_projects INT DEFAULT 0,
                total_revenue DECIMAL(15,2) DEFAULT 0,
                risk_score DECIMAL(3,2),
                PRIMARY KEY (customer_id),
                INDEX idx_revenue (annual_revenue, risk_score),
                INDEX idx_industry (industry, credit_rating)
            ) \(tableOptions)\(rapid)
            """,
            """
            CREATE TABLE business_events (
                event_id VARCHAR(50) NOT NULL,
                event_type VARCHAR(50),
                entity_type VARCHAR(50),
                entity_id VARCHAR(50),
                event_data JSON,
                event_timestamp TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                processed BOOLEAN DEFAULT FALSE,
                PRIMARY KEY (event_id),
                INDEX idx_events (event_timestamp, event_type, processed),
                INDEX idx_entity (entity_type, entity_id)
            ) \(tableOptions)
            """,
            """
            CREATE TABLE ml_models (
                model_id VARCHAR(50) NOT NULL,
                model_name VARCHAR(100),
                model_type VARCHAR(50),
                training_data_query TEXT,
                target_column VARCHAR(100),
                feature_columns JSON,
                model_accuracy DECIMAL(5,4),
                created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                last_trained TIMESTAMP NULL,
                status VARCHAR(20) DEFAULT 'ACTIVE',
                model_payload LONGTEXT,
                PRIMARY KEY (model_id)
            ) \(tableOptions)
            """,
            """
            CREATE TABLE model_predictions (
                prediction_id VARCHAR(50) NOT NULL,
                model_id VARCHAR(50),
                entity_id VARCHAR(50),
                prediction_value DECIMAL(15,4),
                confidence_score DECIMAL(5,4),
                prediction_date TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                PRIMARY KEY (prediction_id),
                FOREIGN KEY (model_id) REFERENCES ml_models (model_id),
                INDEX idx_predictions (prediction_date, model_id, entity_id)
            ) \(tableOptions)
            """,
            """
            CREATE TABLE business_embeddings (
                embedding_id VARCHAR(50) NOT NULL,
                entity_type VARCHAR(50),
                entity_id VARCHAR(50),
                embedding_vector \(vector),
                embedding_model VARCHAR(100),
                created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                PRIMARY KEY (embedding_id),
                INDEX idx_embeddings (entity_type, entity_id)
            ) \(tableOptions)
            """,
        ]
    }

    public static func runTables(_ capabilities: MySQLSchemaCapabilities) -> [String] {
        let tableOptions = capabilities.tableOptions
        return [
            """
            CREATE TABLE analysis_runs (
                run_id VARCHAR(50) NOT NULL,
                analysis VARCHAR(100) NOT NULL,
                as_of DATE NOT NULL,
                status VARCHAR(20) NOT NULL,
                seed BIGINT,
                config_digest VARCHAR(64),
                started_at TIMESTAMP NOT NULL,
                finished_at TIMESTAMP NULL,
                results LONGTEXT,
                PRIMARY KEY (run_id)
            ) \(tableOptions)
            """,
            """
            CREATE TABLE agent_results (
                run_id VARCHAR(50) NOT NULL,
                agent VARCHAR(50) NOT NULL,
                status VARCHAR(20) NOT NULL,
                confidence DOUBLE,
                started_at TIMESTAMP NULL,
                duration_ms DOUBLE,
                error TEXT,
                result LONGTEXT,
                PRIMARY KEY (run_id, agent),
                FOREIGN KEY (run_id) REFERENCES analysis_runs (run_id) ON DELETE CASCADE
            ) \(tableOptions)
            """,
            """
            CREATE TABLE decisions (
                decision_id VARCHAR(50) NOT NULL,
                run_id VARCHAR(50) NOT NULL,
                decision_rank INT NOT NULL,
                title VARCHAR(200) NOT NULL,
                category VARCHAR(50),
                rationale TEXT,
                expected_impact DECIMAL(15,2),
                urgency VARCHAR(20),
                risk VARCHAR(20),
                confidence DOUBLE,
                evidence LONGTEXT,
                PRIMARY KEY (decision_id),
                INDEX idx_decisions_run (run_id, decision_rank),
                FOREIGN KEY (run_id) REFERENCES analysis_runs (run_id) ON DELETE CASCADE
            ) \(tableOptions)
            """,
            """
            CREATE TABLE alerts (
                alert_id VARCHAR(50) NOT NULL,
                run_id VARCHAR(50) NOT NULL,
                severity VARCHAR(20) NOT NULL,
                rule VARCHAR(100) NOT NULL,
                message TEXT NOT NULL,
                entity_type VARCHAR(50),
                entity_id VARCHAR(50),
                observed DOUBLE,
                threshold DOUBLE,
                PRIMARY KEY (alert_id),
                INDEX idx_alerts_run (run_id, severity),
                FOREIGN KEY (run_id) REFERENCES analysis_runs (run_id) ON DELETE CASCADE
            ) \(tableOptions)
            """,
        ]
    }

    /// Migration 0005: `idx_predictions` ordered by model, date and prediction id (`Migrations.predictionIndex`).
    static let predictionIndex = [
        """
        ALTER TABLE model_predictions DROP INDEX idx_predictions,
            ADD INDEX idx_predictions (\(Migrations.predictionIndexColumns.joined(separator: ", ")))
        """
    ]

    /// Migration 0006: `projects.description` (`Migrations.projectDescriptions`). On HeatWave the free
    /// text stays out of RAPID (`NOT SECONDARY`): no analysis reads it, and before 9.2.2 a loaded
    /// `LONGTEXT` holds at most 65,532 bytes.
    static func projectDescriptions(_ capabilities: MySQLSchemaCapabilities) -> [String] {
        ["ALTER TABLE projects ADD COLUMN description LONGTEXT NULL" + (capabilities.rapidEngine ? " NOT SECONDARY" : "")]
    }

    /// Migration 0004: the service's tables, as SQLite's (`Migrations.serviceTables`).
    public static func serviceTables(_ capabilities: MySQLSchemaCapabilities) -> [String] {
        let tableOptions = capabilities.tableOptions
        return [
            """
            CREATE TABLE run_events (
                run_id VARCHAR(50) NOT NULL,
                seq BIGINT NOT NULL,
                kind VARCHAR(40) NOT NULL,
                agent VARCHAR(50),
                happened_at TIMESTAMP NOT NULL,
                data LONGTEXT NOT NULL,
                PRIMARY KEY (run_id, seq)
            ) \(tableOptions)
            """,
            """
            CREATE TABLE api_keys (
                name VARCHAR(100) NOT NULL,
                key_hash VARCHAR(64) NOT NULL,
                role VARCHAR(20) NOT NULL,
                created_at TIMESTAMP NOT NULL,
                last_used_at TIMESTAMP NULL,
                revoked_at TIMESTAMP NULL,
                PRIMARY KEY (name),
                UNIQUE KEY uq_api_keys_hash (key_hash)
            ) \(tableOptions)
            """,
            """
            CREATE TABLE service_leases (
                name VARCHAR(100) NOT NULL,
                holder VARCHAR(100) NOT NULL,
                run_id VARCHAR(50),
                expires_at TIMESTAMP NOT NULL,
                PRIMARY KEY (name)
            ) \(tableOptions)
            """,
            """
            CREATE TABLE schedule_state (
                schedule VARCHAR(100) NOT NULL,
                last_occurrence TIMESTAMP NOT NULL,
                last_run_id VARCHAR(50),
                PRIMARY KEY (schedule)
            ) \(tableOptions)
            """,
            """
            CREATE TABLE alert_states (
                fingerprint VARCHAR(64) NOT NULL,
                rule VARCHAR(100) NOT NULL,
                entity_type VARCHAR(50),
                entity_id VARCHAR(50),
                severity VARCHAR(20) NOT NULL,
                state VARCHAR(20) NOT NULL,
                message TEXT NOT NULL,
                observed DOUBLE,
                threshold DOUBLE,
                first_run_id VARCHAR(50) NOT NULL,
                last_run_id VARCHAR(50) NOT NULL,
                opened_at TIMESTAMP NOT NULL,
                last_seen_at TIMESTAMP NOT NULL,
                acknowledged_at TIMESTAMP NULL,
                resolved_at TIMESTAMP NULL,
                resolution VARCHAR(20),
                occurrences BIGINT NOT NULL,
                notified_severity VARCHAR(20),
                notified_at TIMESTAMP NULL,
                PRIMARY KEY (fingerprint),
                INDEX idx_alert_states_state (state, severity)
            ) \(tableOptions)
            """,
            """
            CREATE TABLE webhook_deliveries (
                delivery_id VARCHAR(50) NOT NULL,
                webhook VARCHAR(100) NOT NULL,
                event_type VARCHAR(50) NOT NULL,
                payload LONGTEXT NOT NULL,
                state VARCHAR(20) NOT NULL,
                attempts BIGINT NOT NULL,
                next_attempt_at TIMESTAMP NOT NULL,
                last_status BIGINT,
                last_error TEXT,
                created_at TIMESTAMP NOT NULL,
                delivered_at TIMESTAMP NULL,
                PRIMARY KEY (delivery_id),
                INDEX idx_webhook_deliveries_due (state, next_attempt_at)
            ) \(tableOptions)
            """,
        ]
    }
}
