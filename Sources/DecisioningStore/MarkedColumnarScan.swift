/// What `ChangeCountingStore.scanColumnarMarked` read.
public struct MarkedColumnarScan: Sendable {
    public var scan: ColumnarScan
    public var marks: ChangeMarks
    /// `COUNT(*)` of the whole table, when a probe was asked for.
    public var totalRows: Int?
    /// The row at the probed rowid (zero rows when there is none), with the same columns as `scan`.
    public var probe: ColumnarScan?

    public init(scan: ColumnarScan, marks: ChangeMarks, totalRows: Int?, probe: ColumnarScan?) {
        self.scan = scan
        self.marks = marks
        self.totalRows = totalRows
        self.probe = probe
    }
}
