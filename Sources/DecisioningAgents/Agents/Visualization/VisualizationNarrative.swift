/// The wording of Visualization's insight, written from the dashboard it chose.
struct VisualizationNarrative {
    let data: VisualizationData

    var insights: [Insight] {
        [
            Insight(
                title: "Dashboard with \(data.tiles.count) tiles and \(data.charts.count) panels",
                detail: data.charts.joined(separator: ", "),
                evidence: [])
        ]
    }
}
