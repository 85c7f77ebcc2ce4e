import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import Plot

/// `/runs/{id}/decisions/{decision}`: one decision with its figures, rationale and evidence (as the
/// report's appendix has them), and the SQL of each named analysis behind it in every dialect.
enum DecisionPage {
    static func render(session: WebSession, results: RunResults, decision: Decision, fragment: String) -> String {
        let runId = results.run.runId
        var dialects: [WebNode] = []
        for evidence in decision.evidence {
            let sql = DecisionDocument.sqlByDialect(evidence, asOf: results.run.asOf)
            guard !sql.isEmpty, evidence.sql == nil || sql.count > 1 else { continue }
            dialects.append(
                .div(
                    .cls("dialects"), .h3(.plain("Analysis "), .code(.plain(evidence.analysis))),
                    .group(
                        sql.map { dialect, text -> WebNode in
                            .element(
                                named: "details",
                                nodes: [
                                    .element(named: "summary", nodes: [.plain(dialect)]),
                                    .pre(.cls("code"), .code(.plain(text))),
                                ])
                        })))
        }
        let content: [WebNode] = [
            .div(
                .cls("crumbs"), .a(.attr("href", "/"), .plain("Runs")), .plain(" › "),
                .a(.attr("href", "/runs/\(runId)"), .plain("Run \(runId)")), .plain(" › "), .plain("Decision \(decision.id)")),
            .div(.cls("decision"), .raw(fragment)),
            dialects.isEmpty
                ? .empty
                : .section(
                    .cls("panel wide"), .h2(.plain("The SQL in each dialect")),
                    .p(.cls("sub"), .plain("The named analyses behind the evidence, rendered for each engine as of the run's date.")),
                    .group(dialects)),
        ]
        return WebLayout.page(title: "Decision \(decision.id) of run \(runId)", session: session, content)
    }
}
