/// One forecast step: the point forecast and the prediction interval's bounds.
public struct ForecastStep: Sendable, Codable, Equatable {
    /// 1 for the first period after the data.
    public let step: Int
    public let mean: Double
    public let lower: Double
    public let upper: Double
}
