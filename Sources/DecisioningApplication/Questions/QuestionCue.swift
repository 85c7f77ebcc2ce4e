/// Words that shape a question rather than name a figure ("top", "why", "versus", "by").
enum QuestionCue: String, Sendable, Hashable, CaseIterable {
    case top, bottom, why, forecast, compare, down, up, trend, by, which, decisions, risk, howMany, similar, like, above, below, atLeast,
        atMost

    var phrases: [String] {
        switch self {
        case .top: return ["top", "best", "highest", "largest", "biggest", "most", "leading", "greatest", "strongest"]
        case .bottom: return ["bottom", "worst", "lowest", "smallest", "least", "weakest", "poorest"]
        case .why:
            return ["why", "what drove", "what drives", "drivers", "driver", "explain", "reason", "reasons", "cause", "caused", "behind"]
        case .forecast:
            return [
                "forecast", "forecasts", "predict", "prediction", "projection", "projected", "outlook", "expect", "expected", "will be",
            ]
        case .compare:
            return [
                "change", "changed", "changes", "compare", "compared", "comparison", "versus", "vs", "against", "growth", "evolve",
                "evolved",
                "difference", "delta", "trending",
            ]
        case .down:
            return [
                "fall", "fell", "fallen", "drop", "dropped", "decline", "declined", "decrease", "decreased", "lost", "lose", "shrink",
                "shrank", "worsen", "worsened", "go down", "went down", "down", "lower", "slipped", "slip",
            ]
        case .up:
            return [
                "rise", "rose", "increase", "increased", "gain", "gained", "grow", "grew", "grown", "improve", "improved", "go up",
                "went up", "up",
                "higher",
            ]
        case .trend: return ["trend", "trends", "over time", "evolution", "history", "historical", "time series"]
        case .by: return ["by", "per", "for each", "each", "across", "split by", "broken down by", "breakdown", "break down", "by each"]
        case .which: return ["which", "list the", "list"]
        case .decisions:
            return [
                "decisions", "decision", "recommendations", "recommendation", "recommend", "what should we do", "what should i do",
                "priorities", "prioritize", "next steps", "action items", "actions", "do first", "focus on",
            ]
        case .risk:
            return [
                "will overrun", "at risk", "likely to overrun", "risk of overrun", "risk of overrunning", "overrun risk",
                "going to overrun",
                "might overrun", "could overrun", "about to overrun", "will go over budget", "likely to go over budget", "overrun",
                "overruns",
            ]
        case .howMany: return ["how many", "number of", "count of", "count"]
        case .similar: return ["similar", "alike", "comparable", "resemble", "resembles", "resembling"]
        case .like: return ["like", "most like", "look like", "looks like"]
        case .above: return ["above", "over", "more than", "greater than", "higher than", "exceeding", "exceeds"]
        case .below: return ["below", "under", "less than", "lower than", "beneath"]
        case .atLeast: return ["at least", "no less than"]
        case .atMost: return ["at most", "no more than", "up to"]
        }
    }
}
