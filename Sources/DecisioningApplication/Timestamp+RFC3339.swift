public import DecisioningCore

extension Timestamp {
    /// RFC 3339 in UTC: `2026-12-02T17:05:00Z`.
    public var rfc3339: String { iso.replacingOccurrences(of: " ", with: "T") + "Z" }
}
