import Testing

@testable import DecisioningAnalytics

/// Text is compared and hashed by its UTF-8 bytes (SQLite's BINARY, MySQL's `utf8mb4_bin`): the fast
/// paths must give what a byte-by-byte comparison gives, for any strings.
@Suite struct ByteStringTests {
    /// Seeded strings over an alphabet with prefixes, the empty string, multi-byte characters and
    /// canonically equivalent spellings ("é" and "e" + U+0301), which Swift's `==` would merge.
    static func strings(count: Int, seed: UInt64) -> [String] {
        let alphabet: [String] = ["", "a", "b", "A", "é", "e\u{301}", "z", "€", "𝄞", "\u{0}", " ", "ab"]
        var state = seed
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        return (0..<count).map { _ in (0..<(next() % 5)).map { _ in alphabet[next() % alphabet.count] }.joined() }
    }

    static func byteOrder(_ a: String, _ b: String) -> Int {
        if Array(a.utf8) == Array(b.utf8) { return 0 }
        return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) ? -1 : 1
    }

    @Test func orderEqualityAndHashFollowTheBytes() {
        let values = Self.strings(count: 300, seed: 7)
        for a in values {
            for b in values.prefix(60) {
                let expected = Self.byteOrder(a, b)
                #expect(ByteString.order(a, b) == expected, "\(Array(a.utf8)) vs \(Array(b.utf8))")
                #expect((ByteString(a) == ByteString(b)) == (expected == 0))
                if expected == 0 { #expect(ByteString(a).hashValue == ByteString(b).hashValue) }
            }
        }
        // Canonically equivalent but different bytes: different keys, in byte order.
        #expect(ByteString("é") != ByteString("e\u{301}"))
        #expect(ByteString.order("e\u{301}", "é") == -1)
        #expect(ByteString.order("", "") == 0)
        #expect(ByteString.order("", "a") == -1)
        #expect(ByteString.order("ab", "a") == 1)
    }

    @Test func aDictionaryRanksItsValuesInByteOrder() {
        let values = Array(Set(Self.strings(count: 500, seed: 11).map { ByteString($0) })).map(\.string)
        let dictionary = StringDictionary(values)
        let byRank = values.indices.sorted { dictionary.ranks[$0] < dictionary.ranks[$1] }.map { values[$0] }
        for (x, y) in zip(byRank, byRank.dropFirst()) { #expect(Self.byteOrder(x, y) == -1) }
        for (code, value) in values.enumerated() { #expect(dictionary.code(of: value) == Int32(code)) }
    }
}
