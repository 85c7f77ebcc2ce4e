// The database URL parser: `DatabaseURL(parsing:)` on arbitrary text.
//
// Properties: it returns a URL or throws ConfigurationError (no trap); an accepted URL carries no
// password (no USER:PASSWORD in the user, no password/pwd/passwd option) and its `description`
// contains no password the input gave; parse(description(x)) == x; the description is stable.
import DecisioningCore
import FuzzSupport

/// The process entry point: SwiftPM makes `main` an alias of `fuzz_url_main` (see Package.swift).
@_cdecl("fuzz_url_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? UnsafePointer(bitPattern: 1)!, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let url: DatabaseURL
    do throws(ConfigurationError) {
        url = try DatabaseURL(parsing: text)
    } catch {
        check(error.key == "--database", "error names key '\(error.key)'")
        return 0
    }
    let shown = url.description
    switch url {
    case .sqlite(let path):
        check(!path.isEmpty, "accepted an empty sqlite path from \(debug(text))")
        check(shown.hasPrefix("sqlite:"), "description \(debug(shown))")
    case .mysql(let e):
        check(!e.user.contains(":"), "accepted a user with a password: \(debug(e.user)) from \(debug(text))")
        for key in e.options.keys where ["password", "passwd", "pwd", "pass"].contains(key.lowercased()) {
            fail("accepted a password in the option '\(key)' of \(debug(text)); its description \(debug(shown)) shows it")
        }
        check(!e.host.isEmpty && !e.database.isEmpty, "empty host or database from \(debug(text))")
        check((1...65535).contains(e.port), "port \(e.port)")
        // A password given as USER:PASSWORD@ (before the query, the scheme in any case) must not reach the description.
        let authority = text.dropFirst("mysql://".count).prefix { $0 != "?" }
        if let at = authority.firstIndex(of: "@") {
            let userinfo = authority[..<at]
            if let colon = userinfo.firstIndex(of: ":") {
                let password = userinfo[userinfo.index(after: colon)...]
                check(
                    password.isEmpty || !shown.contains(password),
                    "description \(debug(shown)) shows the password \(debug(String(password)))")
            }
        }
    }
    let again: DatabaseURL
    do throws(ConfigurationError) {
        again = try DatabaseURL(parsing: shown)
    } catch {
        fail("the description \(debug(shown)) of \(debug(text)) does not parse: \(error)")
    }
    check(
        again == url,
        "parse(description) != parse(text): \(debug(text)) -> \(debug(shown)) -> \(debug(again.description)) (\(url) vs \(again))")
    check(again.description == shown, "description not stable: \(debug(shown)) -> \(debug(again.description))")
    return 0
}

func debug(_ s: String) -> String { "\"" + s.unicodeScalars.map { $0.escaped(asASCII: true) }.joined() + "\"" }
