public struct Tile: Sendable, Codable {
    public var label: String
    public var value: Figure
    public var note: String?

    public init(label: String, value: Figure, note: String? = nil) {
        self.label = label
        self.value = value
        self.note = note
    }
}

public struct VisualizationData: Sendable, Codable {
    public var tiles: [Tile]
    public var charts: [String]

    public init(tiles: [Tile], charts: [String]) {
        self.tiles = tiles
        self.charts = charts
    }
}
