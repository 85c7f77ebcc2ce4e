import DecisioningCore

/// MySQL HeatWave: MySQL's SQL (`MySQLFamilyDialect`) with the RAPID offload forced by an optimizer hint,
/// and text compared in a byte-order collation, since the RAPID engine does not take `VARBINARY`.
struct HeatWaveDialect: MySQLFamilyDialect {
    var statementHint: String? { "/*+ SET_VAR(use_secondary_engine = FORCED) */" }

    /// `utf8mb4_0900_bin`: MySQL 8's byte-order collation without padding.
    func text(_ e: Scoped) -> Scoped {
        Scoped(sql: "(" + e.sql + " COLLATE utf8mb4_0900_bin)", type: .text, column: e.isColumn ? e.sql : nil)
    }
}
