import DecisioningCore
import Testing

@Suite struct FixedPointTests {
    @Test func largestMoneySurvivesRoundTrip() {
        guard case .success(let units) = FixedPoint.parse("9999999999999.99", precision: 15, scale: 2) else {
            Issue.record("the largest DECIMAL(15,2) must parse")
            return
        }
        #expect(units == 999_999_999_999_999)
        #expect(FixedPoint.format(units, scale: 2) == "9999999999999.99")
        #expect(Money.maxDecimal15.description == "9999999999999.99")
        #expect(FixedPoint.format(-units, scale: 2) == "-9999999999999.99")
    }

    @Test func parsingRejectsWhatWouldBeLost() {
        #expect(FixedPoint.parse("10000000000000.00", precision: 15, scale: 2) == .failure(.outOfRange(maxIntegerDigits: 13)))
        #expect(FixedPoint.parse("1.234", precision: 15, scale: 2) == .failure(.tooManyFractionDigits(allowed: 2)))
        #expect(FixedPoint.parse("1.2300", precision: 15, scale: 2) == .success(123))
        #expect(FixedPoint.parse("12a", precision: 15, scale: 2) == .failure(.notANumber))
        #expect(FixedPoint.parse("", precision: 15, scale: 2) == .failure(.notANumber))
        #expect(FixedPoint.parse(".", precision: 15, scale: 2) == .failure(.notANumber))
        #expect(FixedPoint.parse("-0.5", precision: 15, scale: 2) == .success(-50))
        #expect(FixedPoint.parse(".5", precision: 3, scale: 2) == .success(50))
        #expect(FixedPoint.parse("9.99", precision: 3, scale: 2) == .success(999))
        #expect(FixedPoint.parse("10.00", precision: 3, scale: 2) == .failure(.outOfRange(maxIntegerDigits: 1)))
        #expect(FixedPoint.parse("45.5", precision: 5, scale: 1) == .success(455))
    }

    @Test func formatting() {
        #expect(FixedPoint.format(5, scale: 2) == "0.05")
        #expect(FixedPoint.format(-5, scale: 2) == "-0.05")
        #expect(FixedPoint.format(123_456, scale: 4) == "12.3456")
        #expect(FixedPoint.format(42, scale: 0) == "42")
        #expect(Money(approximately: 0.125).minorUnits == 13)
        #expect((Money("10.10")! + Money("0.20")!).description == "10.30")
    }

    @Test func eighteenIntegerDigitsThatOverflowOnceScaledAreOutOfRange() throws {
        // 10^17 at scale 2 is 10^19 units: more than an Int64 holds. Refused, not a trap.
        guard case .failure(.outOfRange) = FixedPoint.parse("99999999999999999.99", precision: 20, scale: 2) else {
            Issue.record("expected outOfRange")
            return
        }
        #expect(try FixedPoint.parse("92233720368547758.07", precision: 20, scale: 2).get() == .max)
        guard case .failure(.outOfRange) = FixedPoint.parse("92233720368547758.08", precision: 20, scale: 2) else {
            Issue.record("expected outOfRange")
            return
        }
    }
}
