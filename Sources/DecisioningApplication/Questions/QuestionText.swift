/// How `ask` reads text: lowercase words without punctuation, numbers and ISO dates kept whole.
enum QuestionText {
    /// The words of `text`: lowercased; a hyphen between digits kept (dates), other punctuation a space;
    /// apostrophes dropped ("what's" is "whats"); `%` kept as a word of its own.
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        let scalars = Array(text.lowercased().unicodeScalars)
        func flush() {
            if !current.isEmpty { out.append(current) }
            current = ""
        }
        for (i, c) in scalars.enumerated() {
            let isDigit = ("0"..."9").contains(c)
            if c.properties.isAlphabetic || isDigit {
                current.unicodeScalars.append(c)
            } else if c == "'" || c == "’" {
                continue
            } else if (c == "-" || c == ".") && !current.isEmpty && current.unicodeScalars.last.map({ ("0"..."9").contains($0) }) == true
                && i + 1 < scalars.count && ("0"..."9").contains(scalars[i + 1])
            {
                current.unicodeScalars.append(c)
            } else if c == "%" {
                flush()
                out.append("%")
            } else {
                flush()
            }
        }
        flush()
        return out
    }

    /// Levenshtein distance, for typo tolerance against the model's vocabulary.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var row = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            row[0] = i
            for j in 1...y.count {
                row[j] = Swift.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &row)
        }
        return previous[y.count]
    }

    static let numberWords: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "eighteen": 18, "twentyfour": 24,
    ]

    /// A whole number written in digits or as a word.
    static func integer(_ word: String) -> Int? {
        if let n = Int(word), n >= 0, n < 100_000 { return n }
        return numberWords[word]
    }
}
