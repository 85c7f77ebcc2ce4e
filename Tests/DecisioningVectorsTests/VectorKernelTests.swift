import Testing

@testable import DecisioningVectors

/// The distance kernels (fused multiply-adds over 32, 16 and 8 lanes, a tree sum, a scalar tail)
/// against sums in double precision, for every length through three full 32-lane steps and each tail.
@Suite struct VectorKernelTests {
    @Test func dotAndSquaredDistanceMatchDoublePrecisionForEveryLength() {
        for length in 1...100 {
            let pair = VectorTestData.uniform(rows: 2, dimensions: length, seed: UInt64(length))
            let a = pair.row(0).map { $0 * 3 - 1 }
            let b = pair.row(1).map { $0 * 5 - 2 }
            let dot = a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in VectorKernels.dot(x.baseAddress!, y.baseAddress!, count: length) }
            }
            let squared = a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in VectorKernels.squaredL2(x.baseAddress!, y.baseAddress!, count: length) }
            }
            let referenceDot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let magnitude = zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
            let referenceSquared = zip(a, b).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }
            #expect(abs(Double(dot) - referenceDot) <= 1e-5 * magnitude + 1e-6, "dot, length \(length)")
            #expect(abs(Double(squared) - referenceSquared) <= 1e-5 * referenceSquared + 1e-6, "squared distance, length \(length)")
        }
    }

    @Test func theTreeSumAddsEveryLane() {
        let lanes = SIMD8<Float>(1, 2, 4, 8, 16, 32, 64, 128)
        #expect(VectorKernels.horizontalSum(lanes) == 255)
        #expect(VectorKernels.horizontalSum(SIMD8<Float>(repeating: -0.5)) == -4)
    }
}
