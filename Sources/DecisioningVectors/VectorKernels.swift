/// The distance kernels: SIMD over 16 and 8 lanes with a scalar tail, on raw pointers so the inner
/// loops carry no bounds checks and the optimizer keeps them in vector registers. Products are
/// accumulated with fused multiply-adds (`addProduct`; `a += b * c` is two instructions) and the last
/// eight lanes are summed as a tree (`sum()` adds them one after another). Both matter: together they
/// took an HNSW search of the 384-float note embeddings from about 32,500 to about 40,000 queries a
/// second on one thread (docs/vectors.md).
enum VectorKernels {
    /// The inner product of two vectors of `count` floats.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        var acc0 = SIMD16<Float>()
        var acc1 = SIMD16<Float>()
        var i = 0
        while i &+ 32 <= count {
            acc0.addProduct(
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self),
                rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self))
            acc1.addProduct(
                ra.loadUnaligned(fromByteOffset: (i &+ 16) &* 4, as: SIMD16<Float>.self),
                rb.loadUnaligned(fromByteOffset: (i &+ 16) &* 4, as: SIMD16<Float>.self))
            i &+= 32
        }
        if i &+ 16 <= count {
            acc0.addProduct(
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self),
                rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self))
            i &+= 16
        }
        acc0 += acc1
        var acc8 = acc0.lowHalf + acc0.highHalf
        if i &+ 8 <= count {
            acc8.addProduct(
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self),
                rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self))
            i &+= 8
        }
        var sum = horizontalSum(acc8)
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
        while i &+ 32 <= count {
            let d0 =
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
                - rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            let d1 =
                ra.loadUnaligned(fromByteOffset: (i &+ 16) &* 4, as: SIMD16<Float>.self)
                - rb.loadUnaligned(fromByteOffset: (i &+ 16) &* 4, as: SIMD16<Float>.self)
            acc0.addProduct(d0, d0)
            acc1.addProduct(d1, d1)
            i &+= 32
        }
        if i &+ 16 <= count {
            let d0 =
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
                - rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            acc0.addProduct(d0, d0)
            i &+= 16
        }
        acc0 += acc1
        var acc8 = acc0.lowHalf + acc0.highHalf
        if i &+ 8 <= count {
            let d =
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                - rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            acc8.addProduct(d, d)
            i &+= 8
        }
        var sum = horizontalSum(acc8)
        while i < count {
            let d = a[i] - b[i]
            sum += d * d
            i &+= 1
        }
        return sum
    }

    /// The sum of eight lanes as a tree: two vector additions and one scalar one (`sum()` adds the lanes
    /// one after another).
    @inline(__always)
    static func horizontalSum(_ lanes: SIMD8<Float>) -> Float {
        let four = lanes.lowHalf + lanes.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    /// The squared length of a vector of `count` floats, summed in double precision (finite for any
    /// finite floats: what a float32 sum would overflow or flush to zero, this one holds).
    @inline(__always)
    static func squaredLength(_ a: UnsafePointer<Float>, count: Int) -> Double {
        var acc = SIMD4<Double>()
        var i = 0
        while i &+ 4 <= count {
            let x = SIMD4<Double>(Double(a[i]), Double(a[i &+ 1]), Double(a[i &+ 2]), Double(a[i &+ 3]))
            acc.addProduct(x, x)
            i &+= 4
        }
        var sum = (acc[0] + acc[1]) + (acc[2] + acc[3])
        while i < count {
            let x = Double(a[i])
            sum += x * x
            i &+= 1
        }
        return sum
    }
}
