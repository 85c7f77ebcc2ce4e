import Foundation
import Testing

@testable import DecisioningEmbedding

@Suite struct WordPieceTokenizerTests {
    /// A small vocabulary for the tests that need no model.
    static let tiny = try! WordPieceTokenizer(
        vocabulary: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "run", "##ning", ",", "!", "cafe", "中"],
        maxLength: 6)

    @Test func greedyLongestMatchWithContinuations() {
        #expect(Self.tiny.encode("unaffable") == [2, 4, 5, 6, 3])
        #expect(Self.tiny.encode("Running, CAFÉ!") == [2, 7, 8, 9, 11, 3])
        #expect(Self.tiny.encode("unx") == [2, 1, 3])
        #expect(Self.tiny.encode("中") == [2, 12, 3])
    }

    @Test func truncatesToMaxLengthKeepingSeparator() {
        #expect(Self.tiny.encode("run run run run run run") == [2, 7, 7, 7, 7, 3])
    }

    @Test func basicTokenizerSplitsPunctuationCJKAndStripsAccents() {
        let words = WordPieceTokenizer.basicTokens("Héllo,world! 中文 A\u{301}\u{200B}b\ttab").map { String(String.UnicodeScalarView($0)) }
        #expect(words == ["hello", ",", "world", "!", "中", "文", "ab", "tab"])
    }
}

/// Token ids the reference tokenizer (Hugging Face tokenizers 0.23.3 with the model's tokenizer.json, no
/// truncation) gives for tricky strings.
@Suite(.enabled(if: ModelFixture.enabled)) struct WordPieceReferenceTests {
    static let cases: [(String, [Int32])] = [
        ("Hello, World!", [101, 7592, 1010, 2088, 999, 102]),
        ("Caf\u{E9} d\u{E9}j\u{E0} vu \u{2014} na\u{EF}ve fa\u{E7}ade", [101, 7668, 2139, 3900, 24728, 1517, 15743, 8508, 102]),
        (
            "Revenue grew 12.5% to $3,400,000 in Q3 2024.",
            [101, 6599, 3473, 2260, 1012, 1019, 1003, 2000, 1002, 1017, 1010, 4278, 1010, 2199, 1999, 1053, 2509, 16798, 2549, 1012, 102]
        ),
        ("I love it \u{1F600}\u{1F680}!!", [101, 1045, 2293, 2009, 100, 999, 999, 102]),
        (
            "pneumonoultramicroscopicsilicovolcanoconiosis",
            [101, 1052, 2638, 2819, 17175, 11314, 6444, 2594, 7352, 26461, 27572, 11261, 6767, 15472, 6761, 8663, 10735, 2483, 102]
        ),
        (String(repeating: "a", count: 101), [101, 100, 102]),
        ("unaffable unbelievable", [101, 14477, 20961, 3468, 23653, 102]),
        ("\u{4E2D}\u{6587}\u{5B57}\u{7B26} and \u{65E5}\u{672C}\u{8A9E}", [101, 1746, 1861, 100, 100, 1998, 1864, 1876, 1950, 102]),
        ("\u{FF26}\u{FF55}\u{FF4C}\u{FF4C}\u{FF57}\u{FF49}\u{FF44}\u{FF54}\u{FF48} \u{FF21}\u{FF22}\u{FF23}", [101, 100, 100, 102]),
        ("tab\u{9}here\u{A}newline  \u{A0}nbsp", [101, 21628, 2182, 2047, 4179, 1050, 5910, 2361, 102]),
        (
            "don't stop-believing (really) [ok] {x} <y> @user #tag",
            [
                101, 2123, 1005, 1056, 2644, 1011, 8929, 1006, 2428, 1007, 1031, 7929, 1033, 1063, 1060, 1065, 1026, 1061, 1028, 1030, 5310,
                1001, 6415, 102,
            ]
        ),
        ("\u{130}stanbul \u{391}\u{392}\u{393} Stra\u{DF}e", [101, 9960, 1155, 29720, 29721, 2358, 27807, 102]),
        ("e\u{301}cole", [101, 12431, 102]),
        ("\u{200B}zero\u{200B}width\u{FEFF}", [101, 5717, 9148, 11927, 2232, 102]),
        ("", [101, 102]),
        ("   ", [101, 102]),
        ("x\u{0}y\u{FFFD}z", [101, 1060, 2100, 2480, 102]),
        ("\u{FB01}nancial \u{BD} \u{B2} \u{2116}", [101, 1984, 7229, 13247, 1092, 1082, 1578, 102]),
        ("\u{DC}n\u{EF}c\u{F6}d\u{E9} \u{C0}\u{C9}\u{CE}\u{D5}\u{DC} \u{F1}", [101, 27260, 29347, 3695, 2226, 1050, 102]),
        ("\u{1F1EB}\u{1F1F7} flag", [101, 100, 5210, 102]),
        ("100,000.00 USD/EUR", [101, 2531, 1010, 2199, 1012, 4002, 13751, 1013, 7327, 2099, 102]),
        (
            "user@example.com https://example.com/a?b=c",
            [101, 5310, 1030, 2742, 1012, 4012, 16770, 1024, 1013, 1013, 2742, 1012, 4012, 1013, 1037, 1029, 1038, 1027, 1039, 102]
        ),
    ]

    @Test func matchesTheReferenceTokenizer() throws {
        let tokenizer = try ModelFixture.embedder().tokenizer
        for (text, expected) in Self.cases {
            #expect(tokenizer.encode(text) == expected, "\(text.debugDescription)")
        }
    }

    @Test func truncatesTo256Tokens() throws {
        let tokenizer = try ModelFixture.embedder().tokenizer
        let ids = tokenizer.encode(String(repeating: "budget variance ", count: 300))
        #expect(ids.count == 256)
        #expect(ids.first == 101 && ids.last == 102)
    }
}
