import HTTPTypes

extension HTTPFields {
    /// The token of `Authorization: Bearer TOKEN`; the scheme's name in any case (RFC 9110 §11.1:
    /// `bearer` and `BEARER` are the same scheme), spaces around the token ignored. Nil without one.
    var bearerToken: String? {
        guard let value = self[.authorization] else { return nil }
        let trimmed = value.drop { $0 == " " || $0 == "\t" }
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }), trimmed[..<space].lowercased() == "bearer" else {
            return nil
        }
        let token = trimmed[space...].trimmingPrefix { $0 == " " || $0 == "\t" }
        let end = token.lastIndex { $0 != " " && $0 != "\t" }
        guard let end else { return nil }
        return String(token[...end])
    }
}
