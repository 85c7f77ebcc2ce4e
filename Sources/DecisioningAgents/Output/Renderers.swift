/// Report and dashboard renderings of a run, by configuration format: (format, file name, content).
func renderings(_ results: RunResults) -> [(format: String, name: String, content: String)] {
    ReportRenderer.outputs(results)
}
