import Foundation

/// L2-regularised logistic regression by Newton's method (IRLS), the baseline for classification.
/// Features are standardised with the training mean and deviation; missing values take the mean.
public struct LogisticRegression: Sendable, Codable {
    public let featureNames: [String]
    let means: [Double]
    let scales: [Double]
    /// Intercept first, then one weight per standardised feature.
    public let weights: [Double]

    public static func fit(_ data: Dataset, l2: Double = 1.0, iterations: Int = 25) throws(LearningError) -> LogisticRegression {
        guard data.labels.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw .invalidInput("binary labels must be 0 or 1") }
        let positives = data.labels.filter { $0 == 1 }.count
        guard positives > 0 && positives < data.count else {
            throw .singleClass("all \(data.count) labels are \(positives > 0 ? 1 : 0): a classifier needs both classes")
        }
        let (means, scales) = Standardiser.fit(data.rows)
        let p = data.featureNames.count + 1
        // One flat row-major design matrix with the intercept column: no allocation in the loops.
        var design = [Double](repeating: 1, count: data.count * p)
        for (i, row) in data.rows.enumerated() {
            let x = Standardiser.apply(row, means, scales)
            for j in 0..<x.count { design[i * p + j + 1] = x[j] }
        }
        let labels = data.labels
        var w = [Double](repeating: 0, count: p)
        for _ in 0..<iterations {
            var gradient = [Double](repeating: 0, count: p)
            var flat = [Double](repeating: 0, count: p * p)
            design.withUnsafeBufferPointer { d in
                for i in 0..<labels.count {
                    let f = UnsafeBufferPointer(rebasing: d[(i * p)..<(i * p + p)])
                    var z = 0.0
                    for a in 0..<p { z += w[a] * f[a] }
                    let mu = 1 / (1 + exp(-z))
                    let weight = max(1e-9, mu * (1 - mu))
                    let residual = mu - labels[i]
                    for a in 0..<p {
                        gradient[a] += residual * f[a]
                        let wa = weight * f[a]
                        for b in a..<p { flat[a * p + b] += wa * f[b] }
                    }
                }
            }
            var hessian = (0..<p).map { a in (0..<p).map { b in a <= b ? flat[a * p + b] : flat[b * p + a] } }
            for a in 1..<p {
                gradient[a] += l2 * w[a]
                hessian[a][a] += l2
            }
            guard let step = LinearAlgebra.solve(hessian, gradient) else { break }
            var change = 0.0
            for a in 0..<p {
                w[a] -= step[a]
                change = max(change, abs(step[a]))
            }
            if change < 1e-10 { break }
        }
        return LogisticRegression(featureNames: data.featureNames, means: means, scales: scales, weights: w)
    }

    public func predict(_ row: [Double]) -> Double {
        let x = [1] + Standardiser.apply(row, means, scales)
        return 1 / (1 + exp(-zip(weights, x).reduce(0) { $0 + $1.0 * $1.1 }))
    }
}

/// Ridge-regularised least squares, the baseline for regression.
public struct LinearRegression: Sendable, Codable {
    public let featureNames: [String]
    let means: [Double]
    let scales: [Double]
    public let weights: [Double]

    public static func fit(_ data: Dataset, l2: Double = 1e-6) throws(LearningError) -> LinearRegression {
        let (means, scales) = Standardiser.fit(data.rows)
        let p = data.featureNames.count + 1
        var a = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        var b = [Double](repeating: 0, count: p)
        for (row, y) in zip(data.rows, data.labels) {
            let x = [1] + Standardiser.apply(row, means, scales)
            for i in 0..<p {
                b[i] += x[i] * y
                for j in 0..<p { a[i][j] += x[i] * x[j] }
            }
        }
        for i in 1..<p { a[i][i] += l2 * Double(data.count) }
        guard let w = LinearAlgebra.solve(a, b) else {
            throw .invalidInput("the features are linearly dependent; remove duplicated or constant columns")
        }
        return LinearRegression(featureNames: data.featureNames, means: means, scales: scales, weights: w)
    }

    public func predict(_ row: [Double]) -> Double {
        zip(weights, [1] + Standardiser.apply(row, means, scales)).reduce(0) { $0 + $1.0 * $1.1 }
    }
}

enum Standardiser {
    static func fit(_ rows: [[Double]]) -> ([Double], [Double]) {
        let p = rows.first?.count ?? 0
        var means = [Double](repeating: 0, count: p)
        var scales = [Double](repeating: 1, count: p)
        for j in 0..<p {
            let v = rows.map { $0[j] }.filter { !$0.isNaN }
            guard !v.isEmpty else { continue }
            let m = v.reduce(0, +) / Double(v.count)
            let sd = (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
            means[j] = m
            scales[j] = sd > 0 ? sd : 1
        }
        return (means, scales)
    }

    static func apply(_ row: [Double], _ means: [Double], _ scales: [Double]) -> [Double] {
        (0..<row.count).map { row[$0].isNaN ? 0 : (row[$0] - means[$0]) / scales[$0] }
    }
}

enum LinearAlgebra {
    /// Solves A x = b by Gaussian elimination with partial pivoting; nil when A is singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        var m = a
        var v = b
        let n = v.count
        for col in 0..<n {
            var pivot = col
            for r in (col + 1)..<max(col + 1, n) where abs(m[r][col]) > abs(m[pivot][col]) { pivot = r }
            guard abs(m[pivot][col]) > 1e-12 else { return nil }
            m.swapAt(col, pivot)
            v.swapAt(col, pivot)
            for r in (col + 1)..<max(col + 1, n) {
                let f = m[r][col] / m[col][col]
                if f == 0 { continue }
                for c in col..<n { m[r][c] -= f * m[col][c] }
                v[r] -= f * v[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = v[r]
            for c in (r + 1)..<max(r + 1, n) { s -= m[r][c] * x[c] }
            x[r] = s / m[r][r]
        }
        return x
    }
}
