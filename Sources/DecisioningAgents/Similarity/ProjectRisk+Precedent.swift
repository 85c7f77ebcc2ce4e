extension ProjectRisk {
    /// " Of the 20 completed projects most like P-1, 14 overran, by 23% on average." (nil without cases);
    /// compared on progress: " Of the 20 completed projects most like P-1 at 40% of the schedule (it has
    /// booked 1.42× its budget share so far; they had booked 1.38× by then), 17 overran, by 38% on average."
    var precedentSentence: String? {
        guard let sentence = precedent?.sentence(about: projectId), !sentence.isEmpty else { return nil }
        return sentence
    }
}
