extension ExponentialSmoothing {
    /// One member of the ETS family: the form of the error, the trend and the season (Hyndman, Koehler, Ord & Snyder,
    /// "Forecasting with Exponential Smoothing", 2008), written ETS(error, trend, season), e.g. ETS(M,Ad,M).
    ///
    /// `allCases` are the five forms the agents have always used (`simple` … `multiplicativeSeasonal`, all with
    /// additive errors); `restricted` is the set of R's `ets` and statsforecast's `AutoETS`: every combination of error
    /// (A, M), trend (N, A, Ad) and season (N, A, M) except additive errors with a multiplicative season, 15 forms;
    /// `automatic`, what `decisioning forecast` uses, adds those three.
    public struct Kind: Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
        public enum ErrorForm: String, Codable, Sendable, CaseIterable {
            case additive, multiplicative
        }
        public enum Trend: String, Codable, Sendable, CaseIterable {
            case none, additive, damped
        }
        public enum Season: String, Codable, Sendable, CaseIterable {
            case none, additive, multiplicative
        }

        public let error: ErrorForm
        public let trend: Trend
        public let season: Season

        public init(error: ErrorForm, trend: Trend, season: Season) {
            self.error = error
            self.trend = trend
            self.season = season
        }

        /// ETS(A,N,N): simple exponential smoothing.
        public static let simple = Kind(error: .additive, trend: .none, season: .none)
        /// ETS(A,A,N): Holt's linear trend.
        public static let holt = Kind(error: .additive, trend: .additive, season: .none)
        /// ETS(A,Ad,N): the damped trend.
        public static let dampedTrend = Kind(error: .additive, trend: .damped, season: .none)
        /// ETS(A,A,A): additive Holt–Winters.
        public static let additiveSeasonal = Kind(error: .additive, trend: .additive, season: .additive)
        /// ETS(A,A,M): multiplicative Holt–Winters with additive errors.
        public static let multiplicativeSeasonal = Kind(error: .additive, trend: .additive, season: .multiplicative)

        /// The five classic forms, in the order `select` tries them by default.
        public static let allCases: [Kind] = [simple, holt, dampedTrend, additiveSeasonal, multiplicativeSeasonal]

        /// R's restricted set (as statsforecast's AutoETS), 15 forms: every error, trend and season but additive errors
        /// with a multiplicative season; no multiplicative trend. Additive errors come first, then multiplicative;
        /// within each, non-seasonal, additive and multiplicative seasons; within each, trends N, A, Ad.
        public static let restricted: [Kind] = ErrorForm.allCases.flatMap { error in
            Season.allCases.flatMap { season in
                Trend.allCases.compactMap { trend in
                    error == .additive && season == .multiplicative ? nil : Kind(error: error, trend: trend, season: season)
                }
            }
        }

        /// What `decisioning forecast` selects from: `restricted` and the three additive-error forms with a
        /// multiplicative season (ETS(A,N,M), ETS(A,A,M), ETS(A,Ad,M)), 18 forms. R leaves those out as numerically
        /// unstable (the seasonal update γe/(ℓ + φb) explodes where the level nears zero); `ETSFilter` bounds the seasonal
        /// factors to (0, period), which keeps them stable. They win where a series ramps up from near zero: the
        /// multiplicative errors' likelihood weighs the tiny first values' relative errors heavily, additive errors do not.
        public static let automatic: [Kind] =
            restricted + Trend.allCases.map { Kind(error: .additive, trend: $0, season: .multiplicative) }

        /// The ETS(error, trend, season) label.
        public var notation: String {
            let e = error == .additive ? "A" : "M"
            let t = trend == .none ? "N" : trend == .additive ? "A" : "Ad"
            let s = season == .none ? "N" : season == .additive ? "A" : "M"
            return "ETS(\(e),\(t),\(s))"
        }

        public var description: String { notation }

        public var hasTrend: Bool { trend != .none }
        public var isDamped: Bool { trend == .damped }
        public var isSeasonal: Bool { season != .none }
        /// A multiplicative season.
        public var isMultiplicative: Bool { season == .multiplicative }
        /// Multiplicative errors or a multiplicative season: the one-step errors are not linear in the initial states.
        var isNonlinear: Bool { error == .multiplicative || season == .multiplicative }
        /// Needs a strictly positive series.
        var needsPositive: Bool { isNonlinear }

        /// The fewest observations a fit accepts.
        public func minimumLength(period: Int) -> Int {
            if isSeasonal { return 2 * period }
            return hasTrend ? 3 : 2
        }
    }
}
