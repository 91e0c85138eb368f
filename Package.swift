// swift-tools-version:6.0
// klarna-om: Klarna order management for WooCommerce, as one C-ABI shared library.
//
// Layers (each a target; a reader can tell from the name whether it may do I/O):
//   OMJSON    JSON: a strict parser with typed readers, and a writer. Depends on nothing.
//   OMCore    money, the order snapshot, the request/response envelope, rules, notes. Pure: no I/O.
//   OMKlarna  Klarna Order Management client: spec-named types, the Transport protocol. No sockets.
//   CCurl     libcurl as a system library plus typed wrappers for its variadic calls.
//   OMCurl    the Transport built on libcurl: the only code that touches the network.
//   OMFlows   the four flows: the core's rules carried out through the Klarna client, and their outcomes.
//   OMExport  the C ABI (`om_*`, exported with `@c`): decode, call, encode. Nothing else.
//   klarna-om the same JSON on stdin/stdout, for hosts without PHP FFI: a small C launcher (KlarnaOMLauncher) that
//             loads libklarna_om.so at run time, so the plugin carries one copy of the core (issue 13).
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "klarna_om",
    products: [
        .library(name: "klarna_om", type: .dynamic, targets: ["OMExport"]),
        .executable(name: "klarna-om", targets: ["KlarnaOMLauncher"]),
    ],
    targets: [
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "OMJSON", swiftSettings: strict),
        .target(name: "OMCore", dependencies: ["OMJSON"], swiftSettings: strict),
        .target(name: "OMKlarna", dependencies: ["OMCore", "OMJSON"], swiftSettings: strict),
        .target(name: "OMCurl", dependencies: ["OMKlarna", "CCurl"], swiftSettings: strict),
        .target(name: "OMFlows", dependencies: ["OMCore", "OMKlarna"], swiftSettings: strict),
        .target(name: "OMExport", dependencies: ["OMCore", "OMKlarna", "OMCurl", "OMFlows"], swiftSettings: strict),
        // The `klarna-om` executable: plain C that dlopens libklarna_om.so beside it (Sources/KlarnaOMLauncher/main.c
        // says why), with no Swift target to depend on. SwiftPM links every executable through swiftc, which on Linux
        // adds swiftrt.o and -lswiftCore even to C; its Embedded mode is the one link that adds neither, so the
        // launcher needs libc alone (scripts/build checks it with ldd). No Swift is compiled under that flag. Build it
        // without -static-stdlib, which would bring its own link file (libstdc++, libm) back.
        .executableTarget(name: "KlarnaOMLauncher",
                          cSettings: [.headerSearchPath("../../Include"),
                                      .unsafeFlags(["-std=c11", "-Wall", "-Wextra", "-Werror"])],
                          linkerSettings: [.linkedLibrary("dl"), .unsafeFlags(["-enable-experimental-feature", "Embedded"])]),
        .target(name: "OMTestSupport", dependencies: ["OMCore", "OMKlarna", "OMCurl"], path: "Tests/OMTestSupport",
                swiftSettings: strict),
        .executableTarget(name: "MoneyBench", dependencies: ["OMExport", "OMTestSupport"], path: "bench/MoneyBench",
                          swiftSettings: strict),
        .testTarget(name: "OMJSONTests", dependencies: ["OMJSON", "OMTestSupport"], swiftSettings: strict),
        .testTarget(name: "OMCoreTests", dependencies: ["OMCore", "OMJSON", "OMTestSupport"], swiftSettings: strict),
        .testTarget(name: "OMKlarnaTests", dependencies: ["OMKlarna", "OMCurl", "OMCore", "OMJSON", "OMTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "OMFlowsTests", dependencies: ["OMFlows", "OMCore", "OMKlarna", "OMTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "OMExportTests", dependencies: ["OMExport", "OMCore", "OMKlarna", "OMTestSupport"],
                    exclude: ["Golden"], swiftSettings: strict),  // read by path: the bodies recorded once
    ]
)
