/// A vector file (`.npy` or a saved index) that cannot be read or written: it names the file, what is
/// wrong and what is allowed. ``kind`` tells the cases apart.
public struct VectorFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a value to compare (new kinds can be added without breaking callers).
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The file could not be opened, read or written.
        public static let io = Kind("io")
        /// The file does not start with the format's magic bytes.
        public static let badMagic = Kind("bad magic")
        /// A format version this reader does not know.
        public static let unsupportedVersion = Kind("unsupported version")
        /// The header is malformed or longer than allowed.
        public static let badHeader = Kind("bad header")
        /// An element type other than little-endian float32 or float64.
        public static let unsupportedType = Kind("unsupported dtype")
        /// Fortran (column-major) order.
        public static let fortranOrder = Kind("fortran order")
        /// A shape that is not 1-D or 2-D with non-zero sizes, or too large.
        public static let badShape = Kind("bad shape")
        /// The file is shorter or longer than its header says.
        public static let sizeMismatch = Kind("size mismatch")
        /// A NaN or infinite value.
        public static let nonFinite = Kind("non-finite value")
        /// Contents that contradict themselves (an index's links, counts or checksum).
        public static let corrupt = Kind("corrupt")

        public var description: String { name }
    }

    /// The file's path.
    public let file: String
    /// What went wrong.
    public let kind: Kind
    /// What was found and what is allowed.
    public let detail: String

    /// An error about `file`.
    public init(file: String, kind: Kind, _ detail: String) {
        self.file = file
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "\(file): \(detail)" }
}
