/// The file and line of each row a batch inserted, by ordinal, kept as runs: within a run the line
/// grows by one per row, so a clean file of millions of rows takes one entry (a key-to-line map took
/// one string per row).
struct RowLocations {
    /// The first ordinal of each run, its file, and its line minus its ordinal.
    private var starts: [Int] = []
    private var files: [Int] = []
    private var offsets: [Int] = []
    private(set) var count = 0

    /// Records where the next row (ordinal `count`) came from.
    mutating func append(file: Int, line: Int) {
        let offset = line - count
        if files.last != file || offsets.last != offset {
            starts.append(count)
            files.append(file)
            offsets.append(offset)
        }
        count += 1
    }

    /// Where the row with `ordinal` came from.
    subscript(ordinal: Int) -> (file: Int, line: Int) {
        precondition(ordinal >= 0 && ordinal < count, "row \(ordinal) was not inserted by this batch")
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= ordinal { low = middle } else { high = middle - 1 }
        }
        return (files[low], ordinal + offsets[low])
    }
}
