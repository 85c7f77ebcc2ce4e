import DecisioningCore

extension Safetensors {
    /// The largest integer a JSON number (a double) holds exactly.
    private static let maxExactInteger = 1 << 53

    /// Validates the header's entries: every tensor's dtype, shape and byte range, and that the ranges lie
    /// within the data and do not overlap.
    static func tensors(
        _ entries: [String: JSONValue], dataCount: Int, fail: (String) -> EmbeddingError
    ) throws(EmbeddingError) -> (tensors: [String: Tensor], metadata: [String: String]) {
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, entry) in entries {
            if name == "__metadata__" {
                guard case .object(let values) = entry else { throw fail("__metadata__ is \(entry.typeName), not an object") }
                for (key, value) in values {
                    guard case .string(let text) = value else { throw fail("__metadata__ '\(key)' is \(value.typeName), not a string") }
                    metadata[key] = text
                }
                continue
            }
            tensors[name] = try tensor(name, entry, dataCount: dataCount, fail: fail)
        }
        let ordered = tensors.values.filter { !$0.byteRange.isEmpty }.sorted {
            ($0.byteRange.lowerBound, $0.name) < ($1.byteRange.lowerBound, $1.name)
        }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where previous.byteRange.overlaps(next.byteRange) {
            throw fail(
                "tensors '\(previous.name)' (bytes \(previous.byteRange)) and '\(next.name)' (bytes \(next.byteRange)) overlap")
        }
        return (tensors, metadata)
    }

    private static func tensor(
        _ name: String, _ entry: JSONValue, dataCount: Int, fail: (String) -> EmbeddingError
    ) throws(EmbeddingError) -> Tensor {
        let what = "tensor '\(name)'"
        guard case .object(let fields) = entry else { throw fail("\(what) is \(entry.typeName), not an object") }
        guard case .string(let dtypeName)? = fields["dtype"] else { throw fail("\(what) has no dtype string") }
        guard let dtype = DType(rawValue: dtypeName) else { throw fail("\(what) has unknown dtype '\(dtypeName)'") }
        guard case .array(let shapeValues)? = fields["shape"] else { throw fail("\(what) has no shape array") }
        guard case .array(let offsetValues)? = fields["data_offsets"], offsetValues.count == 2 else {
            throw fail("\(what) has no data_offsets pair")
        }
        var shape: [Int] = []
        var elements = 1
        for value in shapeValues {
            guard let dimension = integer(value) else { throw fail("\(what) has a shape entry \(value.summary), not a count") }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw fail("\(what) has shape \(shapeValues.map(\.summary)) whose size overflows") }
            shape.append(dimension)
            elements = product
        }
        let (byteCount, overflow) = elements.multipliedReportingOverflow(by: dtype.size)
        guard !overflow else { throw fail("\(what) has shape \(shape) whose byte size overflows") }
        guard let start = integer(offsetValues[0]), let end = integer(offsetValues[1]), start <= end else {
            throw fail("\(what) has data_offsets \(offsetValues.map(\.summary)), not two increasing byte offsets")
        }
        guard end <= dataCount else { throw fail("\(what) ends at byte \(end), past the data (\(dataCount) bytes)") }
        guard end - start == byteCount else {
            throw fail("\(what) spans \(end - start) bytes but \(dtype.rawValue) \(shape) needs \(byteCount)")
        }
        return Tensor(name: name, dtype: dtype, shape: shape, byteRange: start..<end)
    }

    /// A non-negative whole JSON number that a double holds exactly, or nil.
    private static func integer(_ value: JSONValue) -> Int? {
        guard case .number(let number) = value, number >= 0, number <= Double(maxExactInteger), number == number.rounded() else {
            return nil
        }
        return Int(number)
    }
}
