import Foundation

/// Numerical helpers for the exponential smoothing fits: a deterministic Nelder–Mead minimiser,
/// a small Cholesky solver and the inverse normal distribution function.
enum ForecastOptimizer {
    /// Minimises `f` over `start.count` coordinates with the Nelder–Mead simplex (reflection 1, expansion 2,
    /// contraction ½, shrink ½), an initial simplex of `step` along every axis and at most `maxEvaluations` calls; stops
    /// early when the simplex's values agree to `tolerance` relative. `f` reads the point from a pointer, so a search
    /// allocates its simplex once and nothing per evaluation. Non-finite values count as +∞. Fully deterministic:
    /// no randomness, fixed tie breaking (lowest index first). `start` is overwritten with the best point.
    static func nelderMead(
        _ f: (UnsafePointer<Double>) -> Double, start: inout [Double], step: Double = 1,
        maxEvaluations: Int = 400, tolerance: Double = 1e-9
    ) -> (value: Double, evaluations: Int) {
        let d = start.count
        var evaluations = 0
        if d == 0 {
            let empty = UnsafeMutablePointer<Double>.allocate(capacity: 1)
            defer { empty.deallocate() }
            let v = f(UnsafePointer(empty))
            return (v.isFinite ? v : .infinity, 1)
        }
        // Vertices in rows of d, then the centroid, reflected, expanded and contracted points.
        let storage = UnsafeMutablePointer<Double>.allocate(capacity: (d + 1) * d + 4 * d)
        defer { storage.deallocate() }
        let values = UnsafeMutablePointer<Double>.allocate(capacity: d + 1)
        defer { values.deallocate() }
        let centroid = storage + (d + 1) * d
        let reflected = centroid + d
        let expanded = reflected + d
        let contracted = expanded + d
        func vertex(_ i: Int) -> UnsafeMutablePointer<Double> { storage + i * d }
        func eval(_ x: UnsafeMutablePointer<Double>) -> Double {
            evaluations += 1
            let v = f(UnsafePointer(x))
            return v.isFinite ? v : .infinity
        }
        for i in 0...d {
            for j in 0..<d { vertex(i)[j] = start[j] + (i > 0 && j == i - 1 ? step : 0) }
            values[i] = eval(vertex(i))
        }
        func swapVertices(_ a: Int, _ b: Int) {
            for j in 0..<d { swap(&vertex(a)[j], &vertex(b)[j]) }
            swap(&values[a], &values[b])
        }
        while evaluations < maxEvaluations {
            // Insertion sort by value; ties keep index order.
            for i in 1...d {
                var k = i
                while k > 0 && values[k] < values[k - 1] {
                    swapVertices(k, k - 1)
                    k -= 1
                }
            }
            let best = values[0]
            let worst = values[d]
            if worst.isFinite && abs(worst - best) <= tolerance * (abs(best) + 1e-300) { break }
            for j in 0..<d { centroid[j] = 0 }
            for i in 0..<d { for j in 0..<d { centroid[j] += vertex(i)[j] } }
            for j in 0..<d { centroid[j] /= Double(d) }
            let last = vertex(d)
            func point(_ t: Double, _ into: UnsafeMutablePointer<Double>) {
                for j in 0..<d { into[j] = centroid[j] + t * (last[j] - centroid[j]) }
            }
            point(-1, reflected)
            let fr = eval(reflected)
            if fr < values[0] {
                point(-2, expanded)
                let fe = eval(expanded)
                let chosen = fe < fr ? expanded : reflected
                last.update(from: chosen, count: d)
                values[d] = min(fe, fr)
            } else if fr < values[d - 1] {
                last.update(from: reflected, count: d)
                values[d] = fr
            } else {
                let outside = fr < values[d]
                point(outside ? -0.5 : 0.5, contracted)
                let fc = eval(contracted)
                if fc < (outside ? fr : values[d]) {
                    last.update(from: contracted, count: d)
                    values[d] = fc
                } else {
                    for i in 1...d {
                        for j in 0..<d { vertex(i)[j] = vertex(0)[j] + 0.5 * (vertex(i)[j] - vertex(0)[j]) }
                        values[i] = eval(vertex(i))
                    }
                }
            }
        }
        var bestIndex = 0
        for i in 1...d where values[i] < values[bestIndex] { bestIndex = i }
        for j in 0..<d { start[j] = vertex(bestIndex)[j] }
        return (values[bestIndex], evaluations)
    }

    /// Solves A x = b for a symmetric positive semi-definite A (row-major p×p) by Cholesky, adding a ridge
    /// of 1e-10 × mean diagonal (more if needed) so rank-deficient systems still get a minimum-norm-like answer.
    static func solveSymmetric(_ a: [Double], _ b: [Double], _ p: Int) -> [Double]? {
        var meanDiagonal = 0.0
        for i in 0..<p { meanDiagonal += a[i * p + i] }
        meanDiagonal = max(meanDiagonal / Double(max(p, 1)), 1e-300)
        var ridge = 1e-10 * meanDiagonal
        for _ in 0..<8 {
            if let x = cholesky(a, b, p, ridge: ridge) { return x }
            ridge *= 100
        }
        return nil
    }

    private static func cholesky(_ a: [Double], _ b: [Double], _ p: Int, ridge: Double) -> [Double]? {
        var l = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0...i {
                var s = a[i * p + j] + (i == j ? ridge : 0)
                for k in 0..<j { s -= l[i * p + k] * l[j * p + k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i * p + i] = s.squareRoot()
                } else {
                    l[i * p + j] = s / l[j * p + j]
                }
            }
        }
        var z = b
        for i in 0..<p {
            for k in 0..<i { z[i] -= l[i * p + k] * z[k] }
            z[i] /= l[i * p + i]
        }
        for i in stride(from: p - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(i + 1, p) { z[i] -= l[k * p + i] * z[k] }
            z[i] /= l[i * p + i]
        }
        return z.allSatisfy(\.isFinite) ? z : nil
    }

    /// The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).
    static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a normal quantile needs 0 < p < 1")
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
            2.506628277459239e+00,
        ]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
            2.938163982698783e+00,
        ]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low { return -normalQuantile(1 - p) }
        let q = p - 0.5
        let r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
