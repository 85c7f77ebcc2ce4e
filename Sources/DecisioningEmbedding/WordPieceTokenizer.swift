public import Foundation

/// BERT's uncased tokenizer: the basic tokenizer (clean text, split CJK characters, strip accents, lower-case,
/// split on whitespace and punctuation), then greedy longest-match WordPiece with `##` continuations, framed
/// by `[CLS]` and `[SEP]` and truncated to ``maxLength`` tokens.
public struct WordPieceTokenizer: Sendable {
    /// Words longer than this many Unicode scalars become `[UNK]`.
    public static let maxCharactersPerWord = 100

    /// Token id by vocabulary entry.
    let vocabulary: [String: Int32]
    /// The ids of `[CLS]`, `[SEP]`, `[UNK]` and `[PAD]`.
    public let classifierID: Int32, separatorID: Int32, unknownID: Int32, padID: Int32
    /// Most tokens per text, `[CLS]` and `[SEP]` included.
    public let maxLength: Int

    /// The vocabulary size.
    public var count: Int { vocabulary.count }

    /// A tokenizer over `vocabulary` (one entry per line, the line's index is its id).
    public init(vocabulary lines: [String], maxLength: Int, fileName: String = "vocab.txt") throws(EmbeddingError) {
        guard maxLength >= 2 else { throw .invalidModel(fileName, "max_seq_length \(maxLength) leaves no room for [CLS] and [SEP]") }
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() where vocabulary[line] == nil {
            vocabulary[line] = Int32(index)
        }
        func id(_ token: String) throws(EmbeddingError) -> Int32 {
            guard let id = vocabulary[token] else { throw .invalidModel(fileName, "the vocabulary has no \(token)") }
            return id
        }
        self.vocabulary = vocabulary
        classifierID = try id("[CLS]")
        separatorID = try id("[SEP]")
        unknownID = try id("[UNK]")
        padID = try id("[PAD]")
        self.maxLength = maxLength
    }

    /// Reads `vocab.txt` (UTF-8, one token per line).
    public init(vocabularyFile url: URL, maxLength: Int) throws(EmbeddingError) {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw EmbeddingError(
                .modelMissing, "\(url.path): cannot be read (\(error.localizedDescription)); \(EmbeddingError.fetchAdvice)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.trimmingSuffix("\r")) }
        if lines.last == "" { lines.removeLast() }
        try self.init(vocabulary: lines, maxLength: maxLength, fileName: url.lastPathComponent)
    }

    /// The token ids of `text`: `[CLS]`, the word pieces (at most `maxLength - 2`), `[SEP]`.
    public func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = [classifierID]
        let limit = maxLength - 1
        for word in Self.basicTokens(text) {
            appendWordPieces(of: word, to: &ids)
            if ids.count >= limit { break }
        }
        if ids.count > limit { ids.removeLast(ids.count - limit) }
        ids.append(separatorID)
        return ids
    }

    /// Greedy longest-match-first WordPiece over the word's Unicode scalars.
    func appendWordPieces(of word: [Unicode.Scalar], to ids: inout [Int32]) {
        guard word.count <= Self.maxCharactersPerWord else {
            ids.append(unknownID)
            return
        }
        var pieces: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                var piece = start > 0 ? "##" : ""
                piece.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary[piece] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                ids.append(unknownID)
                return
            }
            pieces.append(id)
            start = end
        }
        ids.append(contentsOf: pieces)
    }
}

extension Substring {
    fileprivate func trimmingSuffix(_ suffix: String) -> Substring { hasSuffix(suffix) ? dropLast(suffix.count) : self }
}
