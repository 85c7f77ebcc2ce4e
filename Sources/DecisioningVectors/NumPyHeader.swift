/// The three fields of an `.npy` header, a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 128), }`.
struct NumPyHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// Parses the header text; anything but the three keys with a string, a boolean and a tuple of
    /// non-negative integers is refused.
    static func parse(_ text: String, file: String) throws(VectorFileError) -> NumPyHeader {
        func fail(_ detail: String) -> VectorFileError {
            VectorFileError(file: file, kind: .badHeader, "\(detail); the header must be a dict with 'descr', 'fortran_order' and 'shape'")
        }
        var chars = Array(text.unicodeScalars)
        while let last = chars.last, last == " " || last == "\n" || last == "\0" { chars.removeLast() }
        var i = 0
        func skipSpaces() { while i < chars.count, chars[i] == " " || chars[i] == "\n" || chars[i] == "\t" { i += 1 } }
        func expect(_ c: Unicode.Scalar) throws(VectorFileError) {
            skipSpaces()
            guard i < chars.count, chars[i] == c else { throw fail("expected '\(c)' at character \(i)") }
            i += 1
        }
        func string() throws(VectorFileError) -> String {
            skipSpaces()
            guard i < chars.count, chars[i] == "'" || chars[i] == "\"" else { throw fail("expected a quoted string at character \(i)") }
            let quote = chars[i]
            i += 1
            var out = String.UnicodeScalarView()
            while i < chars.count, chars[i] != quote {
                out.append(chars[i])
                i += 1
            }
            guard i < chars.count else { throw fail("an unterminated string") }
            i += 1
            return String(out)
        }
        var descr: String?
        var fortran: Bool?
        var shape: [Int]?
        try expect("{")
        while true {
            skipSpaces()
            if i < chars.count, chars[i] == "}" {
                i += 1
                break
            }
            let key = try string()
            try expect(":")
            skipSpaces()
            switch key {
            case "descr": descr = try string()
            case "fortran_order":
                if chars[i...].starts(with: "True".unicodeScalars) {
                    fortran = true
                    i += 4
                } else if chars[i...].starts(with: "False".unicodeScalars) {
                    fortran = false
                    i += 5
                } else {
                    throw fail("fortran_order must be True or False")
                }
            case "shape":
                try expect("(")
                var dims: [Int] = []
                while true {
                    skipSpaces()
                    if i < chars.count, chars[i] == ")" {
                        i += 1
                        break
                    }
                    var digits = 0
                    var value = 0
                    while i < chars.count, let digit = Int(String(chars[i])), chars[i].isASCII {
                        let (times, o1) = value.multipliedReportingOverflow(by: 10)
                        let (plus, o2) = times.addingReportingOverflow(digit)
                        guard !o1, !o2 else { throw fail("a shape size is too large") }
                        value = plus
                        digits += 1
                        i += 1
                    }
                    guard digits > 0 else { throw fail("the shape must be a tuple of non-negative integers") }
                    dims.append(value)
                    guard dims.count <= 32 else { throw fail("the shape has too many dimensions") }
                    skipSpaces()
                    if i < chars.count, chars[i] == "," { i += 1 }
                }
                shape = dims
            default: throw fail("unexpected key '\(key)'")
            }
            skipSpaces()
            if i < chars.count, chars[i] == "," {
                i += 1
            } else {
                skipSpaces()
                guard i < chars.count, chars[i] == "}" else { throw fail("expected ',' or '}' at character \(i)") }
            }
        }
        skipSpaces()
        guard i == chars.count else { throw fail("text after the dict") }
        guard let descr, let fortran, let shape else { throw fail("a key is missing") }
        return NumPyHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }
}
