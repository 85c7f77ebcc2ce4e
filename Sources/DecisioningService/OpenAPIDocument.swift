/// The hand-written OpenAPI 3.1 document of the API (Resources/openapi.json, embedded in the binary).
/// A test checks that it lists every route of the router and no other.
enum OpenAPIDocument {
    static let text = String(decoding: PackageResources.openapi_json, as: UTF8.self)
}
