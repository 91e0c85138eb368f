import OMCore
import OMTestSupport
import Testing

/// The rounding that makes lines add up exactly: each amount leaves its plain rounding by at most one unit, either way.
@Suite struct LargestRemainderTests {
    static func amounts(_ micros: [Int64]) -> [FineAmount] { micros.map(FineAmount.init(micros:)) }

    @Test func unitsAreAddedToTheLargestResiduals() throws {
        // 3.333333 × 3 = 9.999999: plain rounding gives 9, one unit goes to the first of three equal residuals.
        #expect(
            try LargestRemainder.allocate(Self.amounts([3_333_333, 3_333_333, 3_333_333]), total: 10) == [4, 3, 3])
        #expect(try LargestRemainder.allocate(Self.amounts([1_100_000, 2_400_000, 3_000_000]), total: 7) == [1, 3, 3])
    }

    @Test func unitsAreTakenFromTheSmallestResiduals() throws {
        // 10.2 + 10.2 round to 20; a total of 19 takes one unit from the later of two equal residuals.
        #expect(try LargestRemainder.allocate(Self.amounts([10_200_000, 10_200_000]), total: 19) == [10, 9])
        // 5.5 rounds to 6 (residual −0.5) and 4.1 to 4 (residual +0.1): the unit comes from the 5.5.
        #expect(try LargestRemainder.allocate(Self.amounts([5_500_000, 4_100_000]), total: 9) == [5, 4])
    }

    @Test func negativeAmountsRoundHalfAwayFromZeroAndMoveEitherWay() throws {
        // −2.5 rounds to −3 (residual +0.5), 1.2 to 1 (residual +0.2): a total of −1 adds a unit to the −2.5.
        #expect(try LargestRemainder.allocate(Self.amounts([-2_500_000, 1_200_000]), total: -1) == [-2, 1])
        #expect(try LargestRemainder.allocate(Self.amounts([-2_500_000, 1_200_000]), total: -3) == [-3, 0])
    }

    @Test func noAmountMovesMoreThanOneUnit() throws {
        #expect(try LargestRemainder.allocate(Self.amounts([1_000_000, 1_000_000]), total: 5) == nil)
        #expect(try LargestRemainder.allocate(Self.amounts([1_000_000, 1_000_000]), total: 4) == [2, 2])
        #expect(try LargestRemainder.allocate(Self.amounts([1_000_000, 1_000_000]), total: 0) == [0, 0])
        #expect(try LargestRemainder.allocate(Self.amounts([1_000_000, 1_000_000]), total: -1) == nil)
        #expect(try LargestRemainder.allocate([], total: 0) == [])
        #expect(try LargestRemainder.allocate([], total: 1) == nil)
    }

    @Test func amountsAtTheEndsOfTheRangeNeitherTrapNorMismatch() throws {
        let huge = FineAmount(micros: Int64.max)
        #expect(
            huge.roundedMinorUnits == 9_223_372_036_855
                && FineAmount(micros: Int64.min).roundedMinorUnits == -9_223_372_036_855)
        #expect(
            try LargestRemainder.allocate([huge, huge], total: 18_446_744_073_710) == [
                9_223_372_036_855, 9_223_372_036_855,
            ])
        let error = #expect(throws: OMError.self) { try LargestRemainder.allocate([huge], total: Int64.min) }
        #expect(error?.code == .amountOverflow)
    }

    /// Random amounts: the result adds up, moves each amount at most one unit from its plain rounding, exists exactly
    /// when the total is within one unit per amount of the plain roundings' sum, and, for amounts that are not
    /// negative, equals the classic largest remainder (floors, then the missing units to the largest remainders,
    /// earlier first), which captures used before amounts could also move down.
    @Test func propertyAddsUpAndAgreesWithTheClassicMethod() throws {
        var random = SplitMix64(seed: 42)
        for _ in 0..<20_000 {
            let count = 1 + random.below(6)
            let negatives = random.below(3) == 0
            let micros = (0..<count).map { _ -> Int64 in
                let unit = Int64(random.below(4)) * 250_000 + Int64(random.below(3)) - 1  // near quarters and halves
                let value = Int64(random.below(50)) * 1_000_000 + max(unit, 0)
                return negatives && random.below(2) == 0 ? -value : value
            }
            let amounts = Self.amounts(micros)
            let plain = amounts.map(\.roundedMinorUnits)
            let total = plain.reduce(0, +) + Int64(random.below(2 * count + 3) - count - 1)
            let result = try LargestRemainder.allocate(amounts, total: total)
            let reachable = abs(total - plain.reduce(0, +)) <= Int64(count)
            #expect((result != nil) == reachable)
            guard let result else { continue }
            #expect(result.reduce(0, +) == total)
            #expect(zip(result, plain).allSatisfy { abs($0 - $1) <= 1 })
            if !negatives, let classic = Self.classic(amounts, total: total) {
                #expect(result == classic, "\(micros) → \(total)")
            }
        }
    }

    /// Floors, then one unit each to the largest remainders (ties: earlier first); nil beyond one unit up per amount.
    static func classic(_ amounts: [FineAmount], total: Int64) -> [Int64]? {
        var result = amounts.map(\.floorMinorUnits)
        let missing = total - result.reduce(0, +)
        guard missing >= 0, missing <= Int64(amounts.count) else { return nil }
        let order = amounts.indices.sorted { a, b in
            amounts[a].remainderMicros != amounts[b].remainderMicros
                ? amounts[a].remainderMicros > amounts[b].remainderMicros : a < b
        }
        for index in order.prefix(Int(missing)) { result[index] += 1 }
        return result
    }
}
