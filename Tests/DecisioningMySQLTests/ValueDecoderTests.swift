import Testing

@testable import DecisioningMySQL

/// Text from the server into the column engine's Int64 storage, at the edges of its range.
@Suite struct ValueDecoderTests {
    static func integer(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { MySQLValueDecoder.integer($0) }
    }

    @Test func theWholeInt64RangeParsesAndNothingBeyondIt() {
        #expect(Self.integer("-9223372036854775808") == .min)
        #expect(Self.integer("9223372036854775807") == .max)
        #expect(Self.integer("9223372036854775808") == nil)
        #expect(Self.integer("-9223372036854775809") == nil)
        #expect(Self.integer("-0") == 0)
        #expect(Self.integer("-") == nil)
        #expect(Self.integer("12a") == nil)
    }
}
