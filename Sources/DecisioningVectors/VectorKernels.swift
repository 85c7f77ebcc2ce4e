/// The distance kernels: SIMD over 16 and 8 lanes with a scalar tail, on raw pointers so the inner
/// loops carry no bounds checks and the optimizer keeps them in vector registers.
enum VectorKernels {
    /// The inner product of two vectors of `count` floats.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        var acc0 = SIMD16<Float>()
        var acc1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= count {
            acc0 +=
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            acc1 +=
                ra.loadUnaligned(fromByteOffset: (i &+ 16) &* 4, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: (i &+ 16) &* 4, as: SIMD16<Float>.self)
            i &+= 32
        }
        if i + 16 <= count {
            acc0 +=
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            i &+= 16
        }
        acc0 += acc1
        var acc8 = acc0.lowHalf + acc0.highHalf
        if i + 8 <= count {
            acc8 +=
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            i &+= 8
        }
        var sum = acc8.sum()
        while i < count {
            sum += a[i] * b[i]
            i &+= 1
        }
        return sum
    }

    /// The squared euclidean distance between two vectors of `count` floats.
    @inline(__always)
    static func squaredL2(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        var acc0 = SIMD16<Float>()
        var acc1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= count {
            let d0 =
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
                - rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            let d1 =
                ra.loadUnaligned(fromByteOffset: (i &+ 16) &* 4, as: SIMD16<Float>.self)
                - rb.loadUnaligned(fromByteOffset: (i &+ 16) &* 4, as: SIMD16<Float>.self)
            acc0 += d0 * d0
            acc1 += d1 * d1
            i &+= 32
        }
        if i + 16 <= count {
            let d0 =
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
                - rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            acc0 += d0 * d0
            i &+= 16
        }
        acc0 += acc1
        var acc8 = acc0.lowHalf + acc0.highHalf
        if i + 8 <= count {
            let d =
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                - rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            acc8 += d * d
            i &+= 8
        }
        var sum = acc8.sum()
        while i < count {
            let d = a[i] - b[i]
            sum += d * d
            i &+= 1
        }
        return sum
    }

    /// The inner products of four queries with one row, the row loaded once for all four: the
    /// blocked exact search's micro-kernel.
    @inline(__always)
    static func dot4(
        _ q0: UnsafePointer<Float>, _ q1: UnsafePointer<Float>, _ q2: UnsafePointer<Float>, _ q3: UnsafePointer<Float>,
        _ row: UnsafePointer<Float>, count: Int
    ) -> SIMD4<Float> {
        let r = UnsafeRawPointer(row)
        let p0 = UnsafeRawPointer(q0)
        let p1 = UnsafeRawPointer(q1)
        let p2 = UnsafeRawPointer(q2)
        let p3 = UnsafeRawPointer(q3)
        var a0 = SIMD8<Float>()
        var a1 = SIMD8<Float>()
        var a2 = SIMD8<Float>()
        var a3 = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let offset = i &* 4
            let x = r.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            a0 += p0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) * x
            a1 += p1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) * x
            a2 += p2.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) * x
            a3 += p3.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) * x
            i &+= 8
        }
        var result = SIMD4<Float>(a0.sum(), a1.sum(), a2.sum(), a3.sum())
        while i < count {
            let x = row[i]
            result += SIMD4<Float>(q0[i], q1[i], q2[i], q3[i]) * x
            i &+= 1
        }
        return result
    }
}
